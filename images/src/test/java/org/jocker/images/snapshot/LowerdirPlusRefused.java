package org.jocker.images.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.images.layer.FileSystemCallException;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.NewFile;

/**
 * This kernel's calls, but overlay refuses "lowerdir+" as it does before Linux 6.8 (EINVAL from
 * fsconfig), so tests on a newer kernel take the way older ones must. Records where it mounted
 * with relative paths.
 */
final class LowerdirPlusRefused implements FileSystemCalls {
  private final FileSystemCalls linux = FileSystemCalls.linux();
  private final int errno;
  private final List<Path> relativeTo = new ArrayList<>();

  /** {@code errno} is what the refusal says: EINVAL as Linux 6.1 does, or anything else to see it passed on. */
  LowerdirPlusRefused(int errno) {
    this.errno = errno;
  }

  /** The working directories of the mounts made with relative paths, in order. */
  List<Path> relativeTo() {
    return List.copyOf(relativeTo);
  }

  @Override
  public void mountOverlay(List<Path> lowers, List<String> options, Path target) {
    throw new FileSystemCallException("fsconfig lowerdir+=" + lowers.getFirst() + " for " + target, errno);
  }

  @Override
  public void mountIn(Path directory, String source, Path target, String type, long flags, String data) {
    linux.mountIn(directory, source, target, type, flags, data);
    relativeTo.add(directory);
  }

  @Override
  public void mount(String source, Path target, String type, long flags, String data) {
    linux.mount(source, target, type, flags, data);
  }

  @Override
  public void unmount(Path target, boolean detach) {
    linux.unmount(target, detach);
  }

  @Override
  public Optional<NewFile> createFile(Path path) {
    return linux.createFile(path);
  }

  @Override
  public void syncFileSystem(Path path) {
    linux.syncFileSystem(path);
  }

  @Override
  public void mknod(Path path, int mode, int major, int minor) {
    linux.mknod(path, mode, major, minor);
  }

  @Override
  public void lchown(Path path, int uid, int gid) {
    linux.lchown(path, uid, gid);
  }

  @Override
  public void chmod(Path path, int mode) {
    linux.chmod(path, mode);
  }

  @Override
  public void setTimes(Path path, long accessEpochNanos, long modifyEpochNanos) {
    linux.setTimes(path, accessEpochNanos, modifyEpochNanos);
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) {
    linux.setXattr(path, name, value);
  }

  @Override
  public Map<String, byte[]> xattrs(Path path) {
    return linux.xattrs(path);
  }
}
