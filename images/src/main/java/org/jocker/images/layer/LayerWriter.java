package org.jocker.images.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.jocker.images.ImageException;
import org.jocker.images.tar.PaxXattrs;
import org.jocker.kernel.FileTrees;

/**
 * Writes the entries of one layer into one directory. Never follows a symlink: every parent
 * component of an entry is checked to be a real directory below the root (checked ones are
 * remembered until something is removed), and the entry itself is created with exclusive-create
 * semantics after any old file at its place was removed. Not thread-safe: one per layer.
 */
final class LayerWriter {
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private record DirectoryTimes(Path path, long accessNanos, long modifyNanos) {}

  private final Path root;
  private final FileSystemCalls calls;
  /** Relative paths known to be real directories (not symlinks) inside this root. */
  private final Set<String> checkedDirectories = new HashSet<>();
  /** Directory times are set last, since writing a directory's content changes its mtime. */
  private final List<DirectoryTimes> directoryTimes = new ArrayList<>();
  private final byte[] buffer = new byte[256 * 1024];
  /** What {@link NewFile#write} takes: native memory, copied into once per chunk. */
  private final ByteBuffer direct = ByteBuffer.allocateDirect(buffer.length);

  LayerWriter(Path root, FileSystemCalls calls) {
    this.root = root;
    this.calls = calls;
    checkedDirectories.add("");
  }

  void write(TarArchiveEntry entry, InputStream data) throws IOException {
    String name = entry.getName();
    String rel = EntryName.clean(name, "layer entry");
    String base = EntryName.base(rel);
    String parent = EntryName.parent(rel);
    if (base.startsWith(Whiteouts.META_PREFIX)) {
      if (base.equals(Whiteouts.OPAQUE)) {
        calls.setXattr(directory(parent, name, true), Whiteouts.OPAQUE_XATTR, new byte[] {'y'});
      }
      return;
    }
    if (base.startsWith(Whiteouts.PREFIX)) {
      whiteout(parent, base.substring(Whiteouts.PREFIX.length()), name);
      return;
    }
    if (rel.isEmpty()) {
      if (!entry.isDirectory()) {
        throw new ImageException("layer entry " + name + ": the layer root must be a directory");
      }
      applyMetadata(root, entry, name);
      return;
    }
    directory(parent, name, true);
    Path path = root.resolve(rel);
    if (isRegularFile(entry)) {
      writeFile(path, rel, entry, data, name);
      return;
    }
    boolean existingDirectory = clearPlaceFor(path, rel, entry.isDirectory());
    if (entry.isDirectory()) {
      if (!existingDirectory) {
        Files.createDirectory(path);
      }
      checkedDirectories.add(rel);
    } else if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      hardLink(path, entry, name);
      return; // the inode, and so its metadata, is the target's
    } else if (entry.isCharacterDevice()) {
      calls.mknod(path, S_IFCHR | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
    } else if (entry.isBlockDevice()) {
      calls.mknod(path, S_IFBLK | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
    } else if (entry.isFIFO()) {
      calls.mknod(path, S_IFIFO | (entry.getMode() & 07777), 0, 0);
    } else {
      throw new ImageException("layer entry " + name + ": unsupported tar entry type '"
          + (char) entry.getLinkFlag() + "'");
    }
    applyMetadata(path, entry, name);
  }

  /** Sets the deferred directory times. */
  void finish() {
    for (int i = directoryTimes.size() - 1; i >= 0; i--) {
      DirectoryTimes times = directoryTimes.get(i);
      if (Files.isDirectory(times.path(), NOFOLLOW)) { // may have been replaced later in the layer
        calls.setTimes(times.path(), times.accessNanos(), times.modifyNanos());
      }
    }
  }

  /**
   * The directory at relative path {@code rel}, every component checked to be a real directory;
   * missing ones are created (0755, root-owned, as containerd does) when {@code create}.
   */
  private Path directory(String rel, String entryName, boolean create) throws IOException {
    if (checkedDirectories.contains(rel)) {
      return rel.isEmpty() ? root : root.resolve(rel);
    }
    Path dir = root;
    String prefix = "";
    for (String part : rel.split("/")) {
      prefix = EntryName.join(prefix, part);
      dir = dir.resolve(part);
      if (checkedDirectories.contains(prefix)) {
        continue;
      }
      BasicFileAttributes attributes = lstat(dir);
      if (attributes == null) {
        if (!create) {
          throw new ImageException("layer entry " + entryName + ": " + prefix + " does not exist");
        }
        Files.createDirectory(dir);
        calls.chmod(dir, 0755);
      } else if (attributes.isSymbolicLink()) {
        throw new ImageException("layer entry " + entryName + ": parent " + prefix
            + " is a symlink, which is never followed while unpacking");
      } else if (!attributes.isDirectory()) {
        throw new ImageException("layer entry " + entryName + ": parent " + prefix + " is not a directory");
      }
      checkedDirectories.add(prefix);
    }
    return dir;
  }

  /** A plain file with content, as opposed to the other kinds a tar entry can be (checked first, in this order). */
  private static boolean isRegularFile(TarArchiveEntry entry) {
    return !entry.isDirectory() && !entry.isSymbolicLink() && !entry.isLink() && !entry.isCharacterDevice()
        && !entry.isBlockDevice() && !entry.isFIFO() && entry.isFile();
  }

  /**
   * Removes what is at {@code path}, unless both it and the new entry are directories; true when
   * a directory stays there.
   */
  private boolean clearPlaceFor(Path path, String rel, boolean directory) throws IOException {
    BasicFileAttributes existing = lstat(path);
    if (existing == null) {
      return false;
    }
    if (directory && existing.isDirectory()) {
      return true;
    }
    removeTree(path, rel);
    return false;
  }

  private void removeTree(Path path, String rel) throws IOException {
    checkedDirectories.removeIf(dir -> dir.equals(rel) || dir.startsWith(rel + "/"));
    FileTrees.delete(path); // does not follow symlinks
  }

  /** ".wh.NAME": an overlayfs whiteout, a 0:0 character device, at NAME. */
  private void whiteout(String parent, String hidden, String entryName) throws IOException {
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new ImageException("layer entry " + entryName + ": invalid whiteout name");
    }
    Path dir = directory(parent, entryName, true);
    String rel = EntryName.join(parent, hidden);
    Path path = dir.resolve(hidden);
    if (lstat(path) != null) {
      removeTree(path, rel);
    }
    calls.mknod(path, S_IFCHR, 0, 0);
  }

  private void hardLink(Path path, TarArchiveEntry entry, String entryName) throws IOException {
    String target = EntryName.clean(entry.getLinkName(), "layer entry " + entryName + ": hard link to");
    if (target.isEmpty()) {
      throw new ImageException("layer entry " + entryName + ": hard link to the layer root");
    }
    Path targetPath = directory(EntryName.parent(target), entryName, false).resolve(EntryName.base(target));
    BasicFileAttributes attributes = lstat(targetPath);
    if (attributes == null) {
      throw new ImageException("layer entry " + entryName + ": hard link target " + target + " does not exist");
    }
    if (attributes.isDirectory()) {
      throw new ImageException("layer entry " + entryName + ": hard link target " + target + " is a directory");
    }
    Files.createLink(path, targetPath); // link(2) does not follow a symlink target
  }

  /**
   * Creates the file exclusively (what was at its place removed first), writes it and sets its
   * metadata, all through its descriptor: one path lookup per file.
   */
  private void writeFile(Path path, String rel, TarArchiveEntry entry, InputStream data, String entryName)
      throws IOException {
    Optional<NewFile> created = calls.createFile(path);
    if (created.isEmpty()) {
      removeTree(path, rel);
      created = calls.createFile(path);
    }
    try (NewFile file = created.orElseThrow(() -> new ImageException("layer entry " + entryName + ": "
        + rel + " reappeared while it was replaced"))) {
      byte[] array = buffer;
      int n;
      while ((n = data.read(array)) > 0) {
        direct.clear();
        direct.put(array, 0, n).flip();
        file.write(direct);
      }
      file.setOwner((int) entry.getLongUserId(), (int) entry.getLongGroupId());
      file.setMode(entry.getMode() & 07777);
      for (Map.Entry<String, byte[]> xattr : layerXattrs(entry).entrySet()) {
        file.setXattr(xattr.getKey(), xattr.getValue());
      }
      long modify = nanos(entry.getLastModifiedTime());
      file.setTimes(accessNanos(entry, modify), modify);
    }
  }

  /** Ownership, then mode (chown clears setuid), then xattrs (chown clears capabilities), then times. */
  private void applyMetadata(Path path, TarArchiveEntry entry, String entryName) {
    calls.lchown(path, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
    if (!entry.isSymbolicLink()) {
      calls.chmod(path, entry.getMode() & 07777);
    }
    for (Map.Entry<String, byte[]> xattr : layerXattrs(entry).entrySet()) {
      calls.setXattr(path, xattr.getKey(), xattr.getValue());
    }
    long modify = nanos(entry.getLastModifiedTime());
    long access = accessNanos(entry, modify);
    if (entry.isDirectory()) {
      directoryTimes.add(new DirectoryTimes(path, access, modify));
    } else {
      calls.setTimes(path, access, modify);
    }
  }

  /** The entry's xattrs but the overlay ones: a layer may not steer overlayfs. */
  private static Map<String, byte[]> layerXattrs(TarArchiveEntry entry) {
    Map<String, byte[]> xattrs = PaxXattrs.read(entry);
    if (!xattrs.isEmpty()) {
      xattrs = new LinkedHashMap<>(xattrs);
      xattrs.keySet().removeIf(name -> name.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX));
    }
    return xattrs;
  }

  /** The access time, or the modification time when the entry has none. */
  private static long accessNanos(TarArchiveEntry entry, long modifyNanos) {
    FileTime accessed = entry.getLastAccessTime();
    return accessed == null ? modifyNanos : nanos(accessed);
  }

  private static long nanos(FileTime time) {
    java.time.Instant instant = time.toInstant();
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  /** lstat, null when nothing is there (without the cost of an exception: most entries are new). */
  private static BasicFileAttributes lstat(Path path) throws IOException {
    return path.getFileSystem().provider().readAttributesIfExists(path, BasicFileAttributes.class, NOFOLLOW);
  }
}
