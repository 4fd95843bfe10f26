package org.jocker.engine.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.kernel.Kernel;

/**
 * Resolves paths of a container as its processes see them, from the host (CVE-2018-15664): the
 * root filesystem with the container's bind mounts (volumes, -v) at their destinations, each
 * symlink's target taken inside the container and ".." stopping at its root.
 *
 * <p>The walk holds each directory it passes as an O_PATH descriptor and looks up exactly one
 * name in it at a time, through /proc/self/fd/N/NAME, never following a symlink unless it reads it
 * itself; ".." returns to the descriptor it came from. So a directory swapped for a symlink (by
 * the container, or by another one sharing a volume, which freezing does not stop) cannot send the
 * walk or the copy that follows it out of the container: the swap makes it fail instead. Callers
 * act only on {@link Entry#path()} and {@link #directory}'s paths, which have that form.
 *
 * <p>Owns the descriptors it opens until {@link #close}.
 */
final class ContainerPaths implements AutoCloseable {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int MAX_LINKS = 255;
  private static final int ENOENT = 2;
  private static final int ENOTDIR = 20;
  private static final int ELOOP = 40;

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

  /** An open directory of a walk: its name in its parent and its descriptor. */
  private record Step(String name, int fd, MountPoint mount, boolean readOnly) {
    Entry entry(String entryName, String containerPath) {
      return new Entry(fd, entryName, containerPath, mount, readOnly);
    }
  }

  private final Kernel kernel;
  private final Path rootfs;
  private final boolean rootReadOnly;
  private final List<MountPoint> mounts;
  private final List<Integer> open = new ArrayList<>();
  private Step root;

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
    List<Step> steps = new ArrayList<>(List.of(root()));
    Deque<String> todo = new ArrayDeque<>(split(path));
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (steps.size() > 1) {
          steps.remove(steps.size() - 1);
        }
        continue;
      }
      boolean last = todo.isEmpty();
      Step parent = steps.get(steps.size() - 1);
      String containerPath = containerPath(steps, c);
      MountPoint mount = mountAt(containerPath);
      if (mount != null) {
        if (last && !Files.isDirectory(mount.source())) {
          Path source = mount.source();
          return new Entry(hold(kernel.openPath(source.getParent())), source.getFileName().toString(), containerPath,
              mount, mount.readOnly());
        }
        steps.add(new Step(c, hold(kernel.openPath(mount.source())), mount, mount.readOnly()));
        continue;
      }
      Path child = fdPath(parent.fd()).resolve(c);
      BasicFileAttributes a = attributes(child);
      if (a == null) {
        if (last) {
          return parent.entry(c, containerPath);
        }
        if (!makeParents) {
          throw new NoSuchFileException(containerPath);
        }
        Files.createDirectory(child);
        steps.add(new Step(c, openDirectory(child, containerPath), parent.mount(), parent.readOnly()));
        continue;
      }
      if (a.isSymbolicLink() && (followLast || !last)) {
        if (++links > MAX_LINKS) {
          throw EngineException.invalidArgument(path + ": too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(child).toString();
        if (target.startsWith("/")) {
          steps.subList(1, steps.size()).clear();
        }
        List<String> parts = split(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      if (last) {
        return parent.entry(c, containerPath);
      }
      steps.add(new Step(c, openDirectory(child, containerPath), parent.mount(), parent.readOnly()));
    }
    Step dir = steps.get(steps.size() - 1);
    return dir.entry(".", steps.size() == 1 ? "/" : containerPath(steps.subList(0, steps.size() - 1), dir.name()));
  }

  /**
   * A held descriptor of the directory at {@code path} (an entry's path or a child of a
   * directory's): /proc/self/fd/N, or an error if it is no longer a directory (never followed).
   */
  Path directory(Path path) throws IOException {
    return fdPath(openDirectory(path, path.toString()));
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
    int fd = Integer.parseInt(directory.getFileName().toString());
    if (open.remove((Integer) fd)) {
      kernel.close(fd);
    }
  }

  private int openDirectory(Path path, String containerPath) throws IOException {
    try {
      return hold(kernel.openDirectoryNoFollow(path));
    } catch (KernelException e) {
      if (e.errno() == ENOENT) {
        throw new NoSuchFileException(containerPath);
      }
      if (e.errno() == ENOTDIR || e.errno() == ELOOP) {
        throw EngineException.invalidArgument(containerPath + " is not a directory");
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  private Step root() {
    if (root == null) {
      root = new Step("", hold(kernel.openPath(rootfs)), null, rootReadOnly);
    }
    return root;
  }

  private int hold(int fd) {
    open.add(fd);
    return fd;
  }

  private MountPoint mountAt(String containerPath) {
    for (MountPoint m : mounts) {
      if (normalize(m.destination()).equals(containerPath)) {
        return m;
      }
    }
    return null;
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String containerPath(List<Step> steps, String name) {
    StringBuilder b = new StringBuilder();
    for (Step s : steps.subList(1, steps.size())) {
      b.append('/').append(s.name());
    }
    return b.append('/').append(name).toString();
  }

  static String normalize(String path) {
    List<String> out = new ArrayList<>();
    for (String s : split(path)) {
      if (s.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else if (!s.equals(".")) {
        out.add(s);
      }
    }
    return "/" + String.join("/", out);
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (int fd : open) {
      kernel.close(fd);
    }
    open.clear();
    root = null;
  }
}
