package org.jocker.images.tar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** What lstat(2) says of a file: the fields a tar entry is made of, and how to walk on. */
public record FileStat(int mode, int uid, int gid, long rdev, long dev, long inode, int links, long size,
    FileTime modified) {

  /** The file types of st_mode's S_IFMT bits. */
  public enum Type { DIRECTORY, REGULAR, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET, UNKNOWN }

  /** lstat of {@code path}: a symlink is described, not followed. */
  public static FileStat of(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    return new FileStat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("rdev"), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"),
        (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"));
  }

  public Type type() {
    return switch (mode & 0170000) {
      case 0040000 -> Type.DIRECTORY;
      case 0100000 -> Type.REGULAR;
      case 0120000 -> Type.SYMLINK;
      case 0020000 -> Type.CHAR_DEVICE;
      case 0060000 -> Type.BLOCK_DEVICE;
      case 0010000 -> Type.FIFO;
      case 0140000 -> Type.SOCKET;
      default -> Type.UNKNOWN;
    };
  }

  public boolean isDirectory() {
    return type() == Type.DIRECTORY;
  }

  /** A device's major number (glibc's gnu_dev_major encoding of st_rdev). */
  public int deviceMajor() {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L));
  }

  public int deviceMinor() {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L));
  }
}
