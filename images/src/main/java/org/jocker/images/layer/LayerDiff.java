package org.jocker.images.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jocker.images.ImageException;

/**
 * Turns a container's overlay upper directory into an OCI layer tar (and a {@code docker diff}
 * listing): overlay whiteouts (0:0 character devices) become ".wh.NAME" entries, opaque
 * directories (trusted.overlay.opaque=y) get a ".wh..wh..opq" entry. Entries come in path order
 * (depth first, names sorted), so the same upper directory always gives the same tar.
 */
public final class LayerDiff {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFSOCK = 0140000;

  private final FileSystemCalls calls;

  public LayerDiff() {
    this(FileSystemCalls.linux());
  }

  public LayerDiff(FileSystemCalls calls) {
    this.calls = calls;
  }

  /** The lstat fields the diff needs, read once per path. */
  private record Node(Path path, String rel, int mode, int uid, int gid, long rdev, long dev, long inode,
      int links, long size, FileTime modified) {
    int type() {
      return mode & S_IFMT;
    }

    boolean isWhiteout() {
      return type() == S_IFCHR && rdev == 0;
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
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(out, sha256));
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(counting);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      Map<List<Long>, String> firstLinkOfInode = new HashMap<>();
      walk(upper, node -> writeEntry(tar, node, firstLinkOfInode));
      tar.finish();
      tar.flush();
    } catch (IOException e) {
      throw new ImageException("writing the layer of " + upper + ": " + e.getMessage(), e);
    }
    return new LayerDigest("sha256:" + HexFormat.of().formatHex(sha256.digest()), counting.count());
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
      Node node = stat(child, childRel);
      visitor.visit(node);
      if (node.type() == 0040000) {
        walkChildren(child, childRel, visitor);
      }
    }
  }

  private static Node stat(Path path, String rel) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:*", NOFOLLOW);
    return new Node(path, rel, (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("rdev"), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"),
        (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"));
  }

  private void writeEntry(TarArchiveOutputStream tar, Node node, Map<List<Long>, String> firstLinkOfInode)
      throws IOException {
    if (node.isWhiteout()) {
      String name = EntryName.join(EntryName.parent(node.rel()), Whiteouts.PREFIX + EntryName.base(node.rel()));
      tar.putArchiveEntry(marker(name, node));
      tar.closeArchiveEntry();
      return;
    }
    Map<String, byte[]> xattrs = calls.xattrs(node.path());
    TarArchiveEntry entry;
    boolean opaque = false;
    switch (node.type()) {
      case 0040000 -> {
        entry = new TarArchiveEntry(node.rel() + "/", TarConstants.LF_DIR);
        byte[] marker = xattrs.get(Whiteouts.OPAQUE_XATTR);
        opaque = marker != null && new String(marker, java.nio.charset.StandardCharsets.UTF_8).equals("y");
      }
      case 0120000 -> {
        entry = new TarArchiveEntry(node.rel(), TarConstants.LF_SYMLINK);
        entry.setLinkName(Files.readSymbolicLink(node.path()).toString());
      }
      case 0100000 -> {
        String first = node.links() > 1
            ? firstLinkOfInode.putIfAbsent(List.of(node.dev(), node.inode()), node.rel()) : null;
        if (first != null) {
          entry = new TarArchiveEntry(node.rel(), TarConstants.LF_LINK);
          entry.setLinkName(first);
        } else {
          entry = new TarArchiveEntry(node.rel(), TarConstants.LF_NORMAL);
          entry.setSize(node.size());
        }
      }
      case S_IFCHR, S_IFBLK -> {
        entry = new TarArchiveEntry(node.rel(), node.type() == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
        entry.setDevMajor(major(node.rdev()));
        entry.setDevMinor(minor(node.rdev()));
      }
      case S_IFIFO -> entry = new TarArchiveEntry(node.rel(), TarConstants.LF_FIFO);
      case S_IFSOCK -> {
        return; // sockets are not content; tar cannot carry them
      }
      default -> throw new ImageException("diff: " + node.path() + " has an unknown file type");
    }
    entry.setMode(node.mode() & 07777);
    entry.setUserId((long) node.uid());
    entry.setGroupId((long) node.gid());
    entry.setLastModifiedTime(node.modified());
    for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
      if (!xattr.getKey().startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)) { // overlayfs bookkeeping
        PaxXattrs.write(entry, xattr.getKey(), xattr.getValue());
      }
    }
    tar.putArchiveEntry(entry);
    if (entry.isFile() && entry.getSize() > 0) {
      try (InputStream in = Files.newInputStream(node.path(), NOFOLLOW)) {
        long copied = in.transferTo(tar);
        if (copied != node.size()) {
          throw new ImageException("diff: " + node.path() + " changed size while being archived");
        }
      }
    }
    tar.closeArchiveEntry();
    if (opaque) {
      tar.putArchiveEntry(marker(EntryName.join(node.rel(), Whiteouts.OPAQUE), node));
      tar.closeArchiveEntry();
    }
  }

  /** An empty regular file standing for a whiteout or an opaque marker. */
  private static TarArchiveEntry marker(String name, Node node) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    entry.setMode(0);
    entry.setLastModifiedTime(node.modified());
    return entry;
  }

  static int major(long dev) {
    return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L));
  }

  static int minor(long dev) {
    return (int) ((dev & 0xff) | ((dev >>> 12) & 0xffffff00L));
  }

  /** Counts what passes through, for the layer size. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }
}
