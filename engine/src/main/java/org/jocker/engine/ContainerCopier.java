package org.jocker.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

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

  /**
   * `cp CONTAINER:SRC -`: a tar stream of SRC, its entries named from SRC's last component (a
   * directory's tree under its name), links kept as links.
   */
  public void copyOutTar(String source, OutputStream out, boolean followLink) {
    Path src = resolve(source, followLink || source.endsWith("/") || source.endsWith("/."));
    if (!Files.exists(src, NOFOLLOW)) {
      throw new EngineException("Error response from daemon: Could not find the file " + source
          + " in container " + container, 1);
    }
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      writeEntry(tar, src, name(src).toString());
      tar.finish();
      tar.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeEntry(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
    TarArchiveEntry e;
    if (a.isSymbolicLink()) {
      e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
    } else if (a.isDirectory()) {
      e = new TarArchiveEntry(name + "/");
    } else if (a.isRegularFile()) {
      e = new TarArchiveEntry(name);
      e.setSize(a.size());
    } else {
      return; // devices, fifos, sockets
    }
    e.setMode(mode(a));
    e.setModTime(a.lastModifiedTime().toMillis());
    e.setUserId(((Number) Files.getAttribute(p, "unix:uid", NOFOLLOW)).longValue());
    e.setGroupId(((Number) Files.getAttribute(p, "unix:gid", NOFOLLOW)).longValue());
    tar.putArchiveEntry(e);
    if (a.isRegularFile()) {
      Files.copy(p, tar);
    }
    tar.closeArchiveEntry();
    if (a.isDirectory()) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
        entries.forEach(children::add);
      }
      children.sort(null);
      for (Path c : children) {
        writeEntry(tar, c, name + "/" + c.getFileName());
      }
    }
  }

  private static int mode(PosixFileAttributes a) {
    int mode = 0;
    for (PosixFilePermission perm : a.permissions()) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }

  /**
   * `cp - CONTAINER:DEST`: extracts a tar stream into the directory DEST. Every entry is resolved
   * like any container path (so neither "..", absolute names nor symlinks, including ones the
   * stream itself makes, lead out of the container); ownership and modes are the stream's.
   */
  public void copyInTar(InputStream in, String dest) {
    Path dir = resolve(dest, true);
    if (!Files.isDirectory(dir, NOFOLLOW)) {
      throw new EngineException("Error response from daemon: extraction point is not a directory", 1);
    }
    String base = dir.equals(rootfs) ? "" : rootfs.relativize(dir).toString();
    try {
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        Path target = resolve(base + "/" + e.getName(), false);
        if (target.equals(rootfs)) {
          continue;
        }
        if (!Files.isDirectory(target.getParent(), NOFOLLOW)) {
          Files.createDirectories(target.getParent()); // its existing part is resolved: no links in it
        }
        if (e.isDirectory()) {
          if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
            Files.delete(target);
          }
          if (!Files.exists(target, NOFOLLOW)) {
            Files.createDirectories(target);
          }
        } else if (e.isSymbolicLink()) {
          deleteNonDirectory(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          deleteNonDirectory(target);
          Path source = resolve(base + "/" + e.getLinkName(), false);
          if (!Files.isRegularFile(source, NOFOLLOW)) {
            throw new EngineException("hard link target " + e.getLinkName() + " is not a regular file", 1);
          }
          Files.createLink(target, source);
          continue;
        } else if (e.isFile()) {
          deleteNonDirectory(target);
          Files.copy(tar, target);
        } else {
          continue;
        }
        Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
        if (!e.isSymbolicLink()) {
          Files.setAttribute(target, "unix:mode", e.getMode() & 07777);
        }
        Files.getFileAttributeView(target, PosixFileAttributeView.class, NOFOLLOW)
            .setTimes(FileTime.fromMillis(e.getModTime().getTime()), null, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
