package org.jocker.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * `cp` between a container's root filesystem (its mounted bundle/rootfs) and the host. Paths in
 * the container are resolved component by component against the rootfs: a symlink's target,
 * absolute or relative, is taken inside the container and ".." stops at its root, so nothing
 * resolves to the host (as `docker cp` does). When copying in, existing symlinks in the way are
 * replaced, never written through.
 */
public final class ContainerCopier {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int MAX_LINKS = 255;

  private final Path rootfs;
  private final String container;

  public ContainerCopier(Path rootfs, String container) {
    this.rootfs = rootfs;
    this.container = container;
  }

  /**
   * The host path of {@code path} in the container, every symlink resolved inside the rootfs
   * (the last one only when {@code followLast}).
   */
  public Path resolve(String path, boolean followLast) {
    Deque<String> todo = new ArrayDeque<>(split(path));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path candidate = join(done).resolve(c);
      if (Files.isSymbolicLink(candidate) && (followLast || !todo.isEmpty())) {
        if (++links > MAX_LINKS) {
          throw new EngineException("Error response from daemon: " + path + ": too many levels of symbolic links", 1);
        }
        String target;
        try {
          target = Files.readSymbolicLink(candidate).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> parts = split(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      done.add(c);
    }
    return join(done);
  }

  /** `cp CONTAINER:SRC DEST`: a file, a symlink or a directory tree out of the container. */
  public void copyOut(String source, Path dest, boolean followLink) {
    Path src = resolve(source, followLink || source.endsWith("/") || source.endsWith("/."));
    if (!Files.exists(src, NOFOLLOW)) {
      throw new EngineException("Error response from daemon: Could not find the file " + source
          + " in container " + container, 1);
    }
    boolean srcIsDir = Files.isDirectory(src, NOFOLLOW);
    Path target;
    if (Files.isDirectory(dest)) {
      target = source.endsWith("/.") && srcIsDir ? dest : dest.resolve(name(src));
    } else {
      if (dest.toString().endsWith("/")) {
        throw new EngineException("destination directory " + dest + " does not exist", 1);
      }
      if (dest.getParent() != null && !Files.isDirectory(dest.getParent())) {
        throw new EngineException("destination directory " + dest.getParent() + " does not exist", 1);
      }
      target = dest;
    }
    if (srcIsDir && Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
      throw new EngineException("cannot copy a directory to a file: " + dest, 1);
    }
    copyTree(src, target, false);
  }

  /** `cp SRC CONTAINER:DEST`: a host file or directory tree into the container, owned by root. */
  public void copyIn(Path source, String dest) {
    if (!Files.exists(source, NOFOLLOW)) {
      throw new EngineException("lstat " + source + ": no such file or directory", 1);
    }
    Path resolved = resolve(dest, true);
    Path target;
    boolean srcIsDir = Files.isDirectory(source, NOFOLLOW);
    if (Files.isDirectory(resolved, NOFOLLOW)) {
      target = source.toString().endsWith("/.") && srcIsDir ? resolved : resolved.resolve(name(source));
    } else {
      if (dest.endsWith("/")) {
        throw new EngineException("Error response from daemon: Could not find the file " + dest
            + " in container " + container, 1);
      }
      if (!Files.isDirectory(resolved.getParent(), NOFOLLOW)) {
        throw new EngineException("Error response from daemon: Could not find the file "
            + parentOf(dest) + " in container " + container, 1);
      }
      if (srcIsDir && Files.exists(resolved, NOFOLLOW)) {
        throw new EngineException("Error response from daemon: cannot copy a directory onto a file: " + dest, 1);
      }
      target = resolved;
    }
    if (!target.normalize().startsWith(rootfs)) {
      throw new EngineException("Error response from daemon: " + dest + " is outside the container", 1);
    }
    copyTree(source, target, true);
  }

  /** Copies without following links; an existing non-directory (or a symlink) at a target is replaced. */
  private static void copyTree(Path src, Path dst, boolean rootOwned) {
    try {
      PosixFileAttributes a = Files.readAttributes(src, PosixFileAttributes.class, NOFOLLOW);
      if (a.isDirectory()) {
        if (Files.exists(dst, NOFOLLOW) && !Files.isDirectory(dst, NOFOLLOW)) {
          Files.delete(dst); // a symlink or a file in the way: never written through
        }
        if (!Files.exists(dst, NOFOLLOW)) {
          Files.createDirectory(dst);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(src)) {
          for (Path e : entries) {
            copyTree(e, dst.resolve(e.getFileName().toString()), rootOwned);
          }
        }
      } else if (a.isSymbolicLink()) {
        deleteNonDirectory(dst);
        Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
      } else if (a.isRegularFile()) {
        if (Files.isDirectory(dst, NOFOLLOW)) {
          throw new EngineException("cannot overwrite directory " + dst + " with a file", 1);
        }
        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING, NOFOLLOW);
      } else {
        return; // devices, fifos, sockets: not copied
      }
      PosixFileAttributeView view = Files.getFileAttributeView(dst, PosixFileAttributeView.class, NOFOLLOW);
      if (!a.isSymbolicLink()) {
        view.setPermissions(a.permissions());
      }
      if (rootOwned) {
        Files.setAttribute(dst, "unix:uid", 0, NOFOLLOW);
        Files.setAttribute(dst, "unix:gid", 0, NOFOLLOW);
      }
      FileTime mtime = Files.readAttributes(src, BasicFileAttributes.class, NOFOLLOW).lastModifiedTime();
      view.setTimes(mtime, null, null);
    } catch (FileAlreadyExistsException e) {
      throw new EngineException("cannot copy to " + e.getFile() + ": it exists", 1, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteNonDirectory(Path p) throws IOException {
    if (Files.isDirectory(p, NOFOLLOW)) {
      throw new EngineException("cannot overwrite directory " + p + " with a non-directory", 1);
    }
    Files.deleteIfExists(p);
  }

  private Path join(List<String> parts) {
    Path p = rootfs;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private Path name(Path p) {
    Path n = p.getFileName();
    return n == null ? Path.of("rootfs") : Path.of(n.toString());
  }
}
