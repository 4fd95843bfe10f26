package org.jocker.images.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tar stream: PAX records for long names and big numbers, entries the caller makes up or
 * that describe files on disk. Every tar Jocker writes comes from here: layers (commit, the
 * built-in busybox), {@code export}, {@code save}'s archives and {@code cp}'s stream. The caller
 * chooses the order (sorted, for the same bytes every time) and walks directories; a writer
 * remembers hard links, so it is one per stream. The stream is flushed, never closed.
 */
public final class TarWriter {
  /**
   * Which of a file's metadata an entry made from it keeps, and whether non-ASCII names go into
   * PAX records (else the header holds their UTF-8 bytes).
   */
  public record Format(boolean paxNames, boolean specialModeBits, boolean nanosecondTimes,
      boolean hardLinks, boolean specialFiles) {
    /**
     * All a file system holds, as OCI layers need it: setuid, setgid and sticky bits, exact
     * times, hard links as links, devices and FIFOs.
     */
    public static final Format FULL = new Format(true, true, true, true, true);

    /**
     * {@code cp}'s stream as it has always been: permission bits, millisecond times, each hard
     * link a copy of its file, no devices or FIFOs.
     */
    public static final Format COPY = new Format(false, false, false, false, false);
  }

  /** The bytes of a regular file's entry, written when the entry is; exactly its size. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;

    static Content of(byte[] bytes) {
      return out -> out.write(bytes);
    }

    /** The file at {@code path}, opened without following a symlink. */
    static Content of(Path path) {
      return out -> {
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        }
      };
    }
  }

  private final TarArchiveOutputStream tar;
  private final Format format;
  /** The name each multiply linked file (device, inode) was first written under. */
  private final Map<List<Long>, String> firstNameOfInode = new HashMap<>();

  /** A writer of {@link Format#FULL} entries. */
  public TarWriter(OutputStream out) {
    this(out, Format.FULL);
  }

  public TarWriter(OutputStream out, Format format) {
    this.format = format;
    this.tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(format.paxNames());
  }

  /** A directory entry; its name gets the trailing slash tar gives directories. */
  public void directory(String name, EntryAttributes attributes) throws IOException {
    put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, attributes), null);
  }

  public void symlink(String name, String target, EntryAttributes attributes) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, attributes);
    entry.setLinkName(target);
    put(entry, null);
  }

  /**
   * A regular file of {@code size} bytes. Content of another length fails the stream (the header
   * has promised the size), which is what a file changing while it is archived does.
   */
  public void file(String name, long size, Content content, EntryAttributes attributes) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, attributes);
    entry.setSize(size);
    put(entry, content);
  }

  /** As {@link #add(String, Path, FileStat, Map, Content)}, the content read from {@code path}. */
  public boolean add(String name, Path path, FileStat stat, Map<String, byte[]> xattrs) throws IOException {
    return add(name, path, stat, xattrs, Content.of(path));
  }

  /**
   * The file at {@code path} (whose lstat is {@code stat}) as entry {@code name}, with what of its
   * metadata the format keeps and {@code xattrs}; a regular file's bytes come from {@code
   * content}. Returns whether an entry was written: sockets (and, unless the format keeps them,
   * devices and FIFOs) have none. A directory's children are the caller's to add.
   */
  public boolean add(String name, Path path, FileStat stat, Map<String, byte[]> xattrs, Content content)
      throws IOException {
    FileTime modified = format.nanosecondTimes() ? stat.modified() : FileTime.fromMillis(stat.modified().toMillis());
    EntryAttributes attributes = new EntryAttributes(stat.mode() & (format.specialModeBits() ? 07777 : 0777),
        stat.uid(), stat.gid(), null, null, modified, xattrs);
    switch (stat.type()) {
      case DIRECTORY -> directory(name, attributes);
      case SYMLINK -> symlink(name, Files.readSymbolicLink(path).toString(), attributes);
      case REGULAR -> regularFile(name, stat, content, attributes);
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
        if (!format.specialFiles()) {
          return false;
        }
        special(name, stat, attributes);
      }
      case SOCKET -> {
        return false; // not content: a socket exists only while its server runs
      }
      case UNKNOWN -> throw new IOException(path + " has an unknown file type");
    }
    return true;
  }

  /** Ends the archive (its two zero blocks) and flushes the stream. */
  public void finish() throws IOException {
    tar.finish();
    tar.flush();
  }

  private void regularFile(String name, FileStat stat, Content content, EntryAttributes attributes)
      throws IOException {
    String first = format.hardLinks() && stat.links() > 1
        ? firstNameOfInode.putIfAbsent(List.of(stat.dev(), stat.inode()), name) : null;
    if (first == null) {
      file(name, stat.size(), content, attributes);
      return;
    }
    TarArchiveEntry link = entry(name, TarConstants.LF_LINK, attributes);
    link.setLinkName(first);
    put(link, null);
  }

  private void special(String name, FileStat stat, EntryAttributes attributes) throws IOException {
    byte flag = switch (stat.type()) {
      case CHAR_DEVICE -> TarConstants.LF_CHR;
      case BLOCK_DEVICE -> TarConstants.LF_BLK;
      default -> TarConstants.LF_FIFO;
    };
    TarArchiveEntry entry = entry(name, flag, attributes);
    if (flag != TarConstants.LF_FIFO) {
      entry.setDevMajor(stat.deviceMajor());
      entry.setDevMinor(stat.deviceMinor());
    }
    put(entry, null);
  }

  private static TarArchiveEntry entry(String name, byte flag, EntryAttributes attributes) {
    TarArchiveEntry entry = new TarArchiveEntry(name, flag);
    entry.setMode(attributes.mode());
    entry.setUserId(attributes.uid());
    entry.setGroupId(attributes.gid());
    if (attributes.userName() != null) {
      entry.setUserName(attributes.userName());
    }
    if (attributes.groupName() != null) {
      entry.setGroupName(attributes.groupName());
    }
    entry.setLastModifiedTime(attributes.modified());
    attributes.xattrs().forEach((xattr, value) -> PaxXattrs.write(entry, xattr, value));
    return entry;
  }

  /** Writes the entry; commons-compress refuses content longer or shorter than the header's size. */
  private void put(TarArchiveEntry entry, Content content) throws IOException {
    tar.putArchiveEntry(entry);
    if (content != null && entry.getSize() > 0) {
      content.writeTo(tar);
    }
    tar.closeArchiveEntry();
  }
}
