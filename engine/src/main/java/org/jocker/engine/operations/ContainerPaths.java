package org.jocker.engine.operations;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.Errno;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.OpenFlags;
import org.jocker.runtime.kernel.Kernel;

/**
 * Resolves paths of a container as its processes see them, from the host (CVE-2018-15664): the
 * root filesystem with the container's bind mounts (volumes, -v) at their destinations, each
 * symlink's target taken inside the container and ".." stopping at its root.
 *
 * <p>The resolution is the kernel module's {@link InRoot} walk, with the bind mounts as its grafts:
 * it holds each directory it passes as an O_PATH descriptor and looks up exactly one name in it at
 * a time, never following a symlink unless it reads it itself; ".." returns to the descriptor it
 * came from. So a directory swapped for a symlink (by the container, or by another one sharing a
 * volume, which freezing does not stop) cannot send the walk or the copy that follows it out of the
 * container: the swap makes it fail instead. Callers act only on {@link Entry#path()} and
 * {@link #directory}'s paths, /proc/self/fd/N/NAME, which follow nothing but the descriptor. This
 * class adds what `cp` needs: which mount an entry is on and whether it is read-only.
 *
 * <p>Owns the descriptors it opens until {@link #close}.
 */
final class ContainerPaths implements AutoCloseable {
  /** A bind mount of the container: a host path (trusted: the user's -v or a volume) at a container path. */
  record MountPoint(String destination, Path source, boolean readOnly) {}

  /**
   * A resolved container path: {@code name} (one component, or "." for a directory itself) in the
   * held directory {@code dir}; {@code containerPath} as the container sees it; the innermost
   * mount it is on (null: the root filesystem) and whether that is read-only.
   */
  record Entry(int dir, String name, String containerPath, MountPoint mount, boolean readOnly) {
    /** The host path to act on: /proc/self/fd/DIR/NAME, which follows nothing but the descriptor. */
    Path path() {
      return fdPath(dir).resolve(name);
    }

    /** The name the entry has in the container ("/" for its root). */
    String baseName() {
      int slash = containerPath.lastIndexOf('/');
      String base = containerPath.substring(slash + 1);
      return base.isEmpty() ? "/" : base;
    }
  }

  private final Kernel kernel;
  private final Path rootfs;
  private final boolean rootReadOnly;
  private final List<MountPoint> mounts;
  private final Map<Integer, Descriptor> held = new LinkedHashMap<>();
  private Descriptor root;

  ContainerPaths(Kernel kernel, Path rootfs, boolean rootReadOnly, List<MountPoint> mounts) {
    this.kernel = kernel;
    this.rootfs = rootfs;
    this.rootReadOnly = rootReadOnly;
    this.mounts = mounts;
  }

  static Path fdPath(int fd) {
    return Path.of("/proc/self/fd/" + fd);
  }

  /**
   * Resolves {@code path}; its last component is followed if a symlink only when
   * {@code followLast}, and may be missing. With {@code makeParents} missing directories before
   * it are created (as root, mode 0755), else they fail with NoSuchFileException.
   */
  Entry resolve(String path, boolean followLast, boolean makeParents) throws IOException {
    List<InRoot.Option> options = new ArrayList<>();
    if (followLast) {
      options.add(InRoot.Option.FOLLOW_LAST);
    }
    if (makeParents) {
      options.add(InRoot.Option.MAKE_PARENTS);
    }
    InRoot.Located found;
    try {
      found = InRoot.of(root(), this::sourceAt).locate(path, options.toArray(InRoot.Option[]::new));
    } catch (KernelException e) {
      throw switch (e.errno()) {
        case Errno.ENOENT -> new NoSuchFileException(e.path());
        case Errno.ENOTDIR -> throw EngineException.invalidArgument(e.path() + " is not a directory");
        case Errno.ELOOP -> throw EngineException.invalidArgument(path + ": too many levels of symbolic links");
        default -> new IOException(e.getMessage(), e);
      };
    }
    int dir = hold(found.directory());
    MountPoint mount = found.graft() == null ? null : mountAt(found.graft());
    return new Entry(dir, found.name(), found.path(), mount, mount != null ? mount.readOnly() : rootReadOnly);
  }

  /**
   * A held descriptor of the directory at {@code path} (an entry's path or a child of a
   * directory's): /proc/self/fd/N, or an error if it is no longer a directory (never followed).
   */
  Path directory(Path path) throws IOException {
    try {
      return fdPath(hold(Descriptor.open(path, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW)));
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new NoSuchFileException(path.toString());
      }
      if (e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP) {
        throw EngineException.invalidArgument(path + " is not a directory");
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Opens a regular file for reading without following a symlink or blocking on a fifo. */
  int openFile(Path path) throws IOException {
    try {
      return kernel.openFileNoFollow(path);
    } catch (KernelException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  /** Gives back the descriptor of a directory this walk no longer needs. */
  void release(Path directory) {
    Descriptor d = held.remove(Integer.parseInt(directory.getFileName().toString()));
    if (d != null) {
      d.close();
    }
  }

  private Descriptor root() {
    if (root == null) {
      root = Descriptor.open(rootfs, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
    }
    return root;
  }

  private int hold(Descriptor d) {
    held.put(d.number(), d);
    return d.number();
  }

  /** The host path mounted at a container path, for the walk: its graft. */
  private Path sourceAt(String containerPath) {
    MountPoint m = mountAt(containerPath);
    return m == null ? null : m.source();
  }

  private MountPoint mountAt(String containerPath) {
    for (MountPoint m : mounts) {
      if (Path.of(m.destination()).normalize().toString().equals(containerPath)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public void close() {
    held.values().forEach(Descriptor::close);
    held.clear();
    if (root != null) {
      root.close();
      root = null;
    }
  }
}
