package org.jocker.images.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.images.digest.DigestingOutputStream;
import org.jocker.images.tar.EntryAttributes;
import org.jocker.images.tar.FileStat;
import org.jocker.images.tar.TarWriter;

/**
 * Turns a container's overlay upper directory into an OCI layer tar (and a {@code docker diff}
 * listing): overlay whiteouts (0:0 character devices) become ".wh.NAME" entries, opaque
 * directories (trusted.overlay.opaque=y) get a ".wh..wh..opq" entry. Entries come in path order
 * (depth first, names sorted), so the same upper directory always gives the same tar.
 */
public final class LayerDiff {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final FileSystemCalls calls;

  public LayerDiff() {
    this(FileSystemCalls.linux());
  }

  public LayerDiff(FileSystemCalls calls) {
    this.calls = calls;
  }

  /** A path of the upper directory, relative to it, and its lstat. */
  private record Node(Path path, String rel, FileStat stat) {
    boolean isWhiteout() {
      return stat.type() == FileStat.Type.CHAR_DEVICE && stat.rdev() == 0;
    }
  }

  /** Receives the upper directory's nodes in tar order. */
  private interface Visitor {
    void visit(Node node) throws IOException;
  }

  /**
   * Writes the layer tar of {@code upper} (uncompressed; wrap {@code out} to compress) and returns
   * its diffID and size. {@code out} is flushed, not closed.
   */
  public LayerDigest writeTar(Path upper, OutputStream out) {
    DigestingOutputStream digesting = new DigestingOutputStream(out, DigestAlgorithm.SHA256);
    try {
      TarWriter tar = new TarWriter(digesting);
      walk(upper, node -> writeEntry(tar, node));
      tar.finish();
    } catch (IOException e) {
      throw new ImageException("writing the layer of " + upper + ": " + e.getMessage(), e);
    }
    return new LayerDigest(digesting.digest().toString(), digesting.count());
  }

  /**
   * What the container added, changed or deleted: a path in {@code upper} is "changed" when it
   * exists in one of {@code lowers} (the image's layer directories), else "added"; whiteouts are
   * "deleted". Paths are absolute ("/etc/passwd"), in tar order.
   */
  public List<Change> changes(Path upper, List<Path> lowers) {
    List<Change> changes = new ArrayList<>();
    try {
      walk(upper, node -> {
        Change.Kind kind = node.isWhiteout() ? Change.Kind.DELETED
            : existsInAny(lowers, node.rel()) ? Change.Kind.CHANGED : Change.Kind.ADDED;
        changes.add(new Change(kind, "/" + node.rel()));
      });
    } catch (IOException e) {
      throw new ImageException("listing the changes in " + upper + ": " + e.getMessage(), e);
    }
    return changes;
  }

  private static boolean existsInAny(List<Path> lowers, String rel) {
    for (Path lower : lowers) {
      if (Files.exists(lower.resolve(rel), NOFOLLOW)) {
        return true;
      }
    }
    return false;
  }

  private void walk(Path upper, Visitor visitor) throws IOException {
    if (!Files.isDirectory(upper, NOFOLLOW)) {
      throw new ImageException("upper directory " + upper + " does not exist");
    }
    walkChildren(upper, "", visitor);
  }

  private void walkChildren(Path dir, String rel, Visitor visitor) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    }
    for (Path child : children) {
      String childRel = EntryName.join(rel, child.getFileName().toString());
      Node node = new Node(child, childRel, FileStat.of(child));
      visitor.visit(node);
      if (node.stat().isDirectory()) {
        walkChildren(child, childRel, visitor);
      }
    }
  }

  private void writeEntry(TarWriter tar, Node node) throws IOException {
    if (node.isWhiteout()) {
      String name = EntryName.join(EntryName.parent(node.rel()), Whiteouts.PREFIX + EntryName.base(node.rel()));
      tar.file(name, 0, null, marker(node));
      return;
    }
    Map<String, byte[]> xattrs = calls.xattrs(node.path());
    Map<String, byte[]> kept = new LinkedHashMap<>(xattrs);
    kept.keySet().removeIf(name -> name.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)); // overlayfs bookkeeping
    if (!tar.add(node.rel(), node.path(), node.stat(), kept)) {
      return;
    }
    byte[] opaque = xattrs.get(Whiteouts.OPAQUE_XATTR);
    if (node.stat().isDirectory() && opaque != null && new String(opaque, StandardCharsets.UTF_8).equals("y")) {
      tar.file(EntryName.join(node.rel(), Whiteouts.OPAQUE), 0, null, marker(node));
    }
  }

  /** An empty regular file standing for a whiteout or an opaque marker. */
  private static EntryAttributes marker(Node node) {
    return EntryAttributes.of(0, node.stat().modified());
  }
}
