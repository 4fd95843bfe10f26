package org.jocker.images.layer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file-system system calls java.nio lacks. Every call acts on the path itself and never
 * follows a symlink in its last component (callers have already checked the parents).
 * Failures throw {@link org.jocker.images.ImageException} naming the call and the path.
 */
public interface FileSystemCalls {
  /** mount(2) flags used by the snapshotter. */
  long MS_RDONLY = 1;
  long MS_BIND = 4096;
  long MS_REC = 16384;
  long MS_REMOUNT = 32;

  /** The calls of the running Linux kernel. */
  static FileSystemCalls linux() {
    return LinuxFileSystemCalls.INSTANCE;
  }

  /**
   * open(2) with O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600: a new regular file at {@code path}, or
   * empty when anything (a dangling symlink too) is there already.
   */
  Optional<NewFile> createFile(Path path);

  /**
   * syncfs(2) of the file system that holds the directory {@code path}: everything written there
   * reaches the disk, at the cost of one call instead of an fsync per file.
   */
  void syncFileSystem(Path path);

  /** mknod(2); {@code mode} carries the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
  void mknod(Path path, int mode, int major, int minor);

  /** lchown(2): ownership of the path itself, symlinks included. */
  void lchown(Path path, int uid, int gid);

  /** chmod(2) with all 12 permission bits (setuid, setgid, sticky); never on a symlink. */
  void chmod(Path path, int mode);

  /** utimensat(2) with AT_SYMLINK_NOFOLLOW, so symlink times can be set too. */
  void setTimes(Path path, long accessEpochNanos, long modifyEpochNanos);

  /** lsetxattr(2). */
  void setXattr(Path path, String name, byte[] value);

  /** llistxattr(2) + lgetxattr(2): all extended attributes of the path, by name. */
  Map<String, byte[]> xattrs(Path path);

  /** mount(2). */
  void mount(String source, Path target, String type, long flags, String data);

  /**
   * mount(2) with relative paths in {@code data} resolved against {@code directory}: the call is
   * made by a thread whose working directory, its own, is {@code directory}.
   */
  void mountIn(Path directory, String source, Path target, String type, long flags, String data);

  /**
   * An overlay mount through the new mount API (fsopen/fsconfig "lowerdir+"), which has no
   * one-page limit on the option string. {@code options} are the other overlay options, "key=value"
   * or a flag ("ro"); without "upperdir=" the overlay is read-only.
   */
  void mountOverlay(List<Path> lowers, List<String> options, Path target);

  /** umount2(2); {@code detach} is MNT_DETACH. */
  void unmount(Path target, boolean detach);
}
