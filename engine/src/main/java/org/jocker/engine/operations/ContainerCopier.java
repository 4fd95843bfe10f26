package org.jocker.engine.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.engine.EngineException;
import org.jocker.images.tar.FileStat;
import org.jocker.images.tar.TarWriter;
import org.jocker.runtime.kernel.Kernel;

/**
 * `cp` between a container and the host. Container paths are resolved by {@link ContainerPaths}:
 * against the root filesystem and the container's bind mounts (volumes, -v), symlinks and ".."
 * inside the container, through held directory descriptors, so nothing resolves to the host even
 * if a directory is swapped for a symlink meanwhile (CVE-2018-15664). Every file operation names
 * one component in a held directory and follows no symlink; when copying in, existing symlinks in
 * the way are replaced, never written through, and read-only mounts are refused.
 */
public final class ContainerCopier {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path rootfs;
  private final String container;
  private final boolean rootReadOnly;
  private final List<ContainerPaths.MountPoint> mounts;
  private final Kernel kernel;

  ContainerCopier(Path rootfs, String container, boolean rootReadOnly, List<ContainerPaths.MountPoint> mounts,
      Kernel kernel) {
    this.rootfs = rootfs;
    this.container = container;
    this.rootReadOnly = rootReadOnly;
    this.mounts = mounts;
    this.kernel = kernel;
  }

  private ContainerPaths paths() {
    return new ContainerPaths(kernel, rootfs, rootReadOnly, mounts);
  }

  /** `cp CONTAINER:SRC DEST`: a file, a symlink or a directory tree out of the container. */
  public void copyOut(String source, Path dest, boolean followLink) {
    try (ContainerPaths paths = paths()) {
      ContainerPaths.Entry entry = existing(paths, source, followLink || source.endsWith("/") || source.endsWith("/."));
      Path src = entry.path();
      boolean srcIsDir = Files.isDirectory(src, NOFOLLOW);
      Path target;
      if (Files.isDirectory(dest)) {
        target = source.endsWith("/.") && srcIsDir ? dest : dest.resolve(name(entry));
      } else {
        if (dest.toString().endsWith("/")) {
          throw EngineException.notFound("destination directory " + dest + " does not exist").checkedByClient();
        }
        if (dest.getParent() != null && !Files.isDirectory(dest.getParent())) {
          throw EngineException.notFound("destination directory " + dest.getParent()
              + " does not exist").checkedByClient();
        }
        target = dest;
      }
      if (srcIsDir && Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
        throw EngineException.conflict("cannot copy a directory to a file: " + dest).checkedByClient();
      }
      copyTree(paths, src, target, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** `cp SRC CONTAINER:DEST`: a host file or directory tree into the container, owned by root. */
  public void copyIn(Path source, String dest) {
    if (!Files.exists(source, NOFOLLOW)) {
      throw EngineException.notFound("lstat " + source + ": no such file or directory").checkedByClient();
    }
    try (ContainerPaths paths = paths()) {
      ContainerPaths.Entry resolved;
      try {
        resolved = paths.resolve(dest, true, false);
      } catch (NoSuchFileException e) {
        throw EngineException.notFound("Could not find the file " + parentOf(dest)
            + " in container " + container);
      }
      writable(resolved);
      Path target;
      boolean srcIsDir = Files.isDirectory(source, NOFOLLOW);
      if (Files.isDirectory(resolved.path(), NOFOLLOW)) {
        Path dir = paths.directory(resolved.path());
        target = source.toString().endsWith("/.") && srcIsDir ? dir : dir.resolve(source.getFileName().toString());
      } else {
        if (dest.endsWith("/")) {
          throw EngineException.notFound("Could not find the file " + dest
              + " in container " + container);
        }
        if (srcIsDir && Files.exists(resolved.path(), NOFOLLOW)) {
          throw EngineException.conflict("cannot copy a directory onto a file: " + dest);
        }
        target = resolved.path();
      }
      copyTree(paths, source, target, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * `cp CONTAINER:SRC -`: a tar stream of SRC, its entries named from SRC's last component (a
   * directory's tree under its name), links kept as links.
   */
  public void copyOutTar(String source, OutputStream out, boolean followLink) {
    try (ContainerPaths paths = paths()) {
      ContainerPaths.Entry entry = existing(paths, source, followLink || source.endsWith("/") || source.endsWith("/."));
      TarWriter tar = new TarWriter(out, TarWriter.Format.COPY);
      writeEntry(paths, tar, entry.path(), name(entry));
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ContainerPaths.Entry existing(ContainerPaths paths, String source, boolean followLast) throws IOException {
    try {
      ContainerPaths.Entry entry = paths.resolve(source, followLast, false);
      if (Files.exists(entry.path(), NOFOLLOW)) {
        return entry;
      }
    } catch (NoSuchFileException e) {
      // reported below
    }
    throw EngineException.notFound("Could not find the file " + source
        + " in container " + container);
  }

  /** Refuses to write into a read-only mount or root filesystem, as Docker does. */
  private static void writable(ContainerPaths.Entry entry) {
    if (entry.readOnly()) {
      throw EngineException.forbidden(entry.mount() != null ? "mounted volume is marked read-only"
          : "container rootfs is marked read-only");
    }
  }

  private void writeEntry(ContainerPaths paths, TarWriter tar, Path p, String name) throws IOException {
    FileStat stat = FileStat.of(p);
    if (!tar.add(name, p, stat, Map.of(), out -> copyFile(paths, p, out, stat.size()))) {
      return; // devices, fifos, sockets
    }
    if (stat.isDirectory()) {
      Path dir = paths.directory(p);
      try {
        for (String c : children(dir)) {
          writeEntry(paths, tar, dir.resolve(c), name + "/" + c);
        }
      } finally {
        paths.release(dir);
      }
    }
  }

  /**
   * `cp - CONTAINER:DEST`: extracts a tar stream into the directory DEST. Every entry is resolved
   * like any container path (so neither "..", absolute names nor symlinks, including ones the
   * stream itself makes, lead out of the container); ownership and modes are the stream's.
   */
  public void copyInTar(InputStream in, String dest) {
    try (ContainerPaths paths = paths()) {
      ContainerPaths.Entry dir;
      try {
        dir = paths.resolve(dest, true, false);
      } catch (NoSuchFileException e) {
        throw EngineException.notFound("Could not find the file " + dest
            + " in container " + container);
      }
      if (!Files.isDirectory(dir.path(), NOFOLLOW)) {
        throw EngineException.invalidArgument("extraction point is not a directory");
      }
      String base = dir.containerPath().equals("/") ? "" : dir.containerPath();
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; paths.close()) {
        ContainerPaths.Entry entry = paths.resolve(base + "/" + e.getName(), false, true);
        if (entry.containerPath().equals("/")) {
          continue;
        }
        writable(entry);
        Path target = entry.path();
        if (e.isDirectory()) {
          if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
            Files.delete(target);
          }
          if (!Files.exists(target, NOFOLLOW)) {
            Files.createDirectory(target);
          }
        } else if (e.isSymbolicLink()) {
          deleteNonDirectory(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          deleteNonDirectory(target);
          ContainerPaths.Entry linked = paths.resolve(base + "/" + e.getLinkName(), false, false);
          if (!Objects.equals(linked.mount(), entry.mount())) {
            // as in the container, where each mount is its own device: a link from a writable
            // mount to a read-only one (--init's host binary) would make that file writable
            throw EngineException.forbidden("hard link " + e.getName() + " to " + e.getLinkName()
                + ": invalid cross-device link").checkedByClient();
          }
          Path source = linked.path();
          if (!Files.isRegularFile(source, NOFOLLOW)) {
            throw EngineException.invalidArgument("hard link target " + e.getLinkName()
                + " is not a regular file").checkedByClient();
          }
          Files.createLink(target, source);
          continue;
        } else if (e.isFile()) {
          deleteNonDirectory(target);
          try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE, NOFOLLOW)) {
            tar.transferTo(out);
          }
        } else {
          continue;
        }
        Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
        if (!e.isSymbolicLink()) {
          Files.setAttribute(target, "unix:mode", e.getMode() & 07777, NOFOLLOW);
        }
        Files.getFileAttributeView(target, PosixFileAttributeView.class, NOFOLLOW)
            .setTimes(FileTime.fromMillis(e.getModTime().getTime()), null, null);
      }
    } catch (NoSuchFileException e) {
      throw EngineException.notFound("Could not find the file " + e.getFile()
          + " in container " + container);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies without following links; an existing non-directory (or a symlink) at a target is
   * replaced. src and dst each name one entry in a held directory (or are host paths); a
   * directory's children are reached through a descriptor of it.
   */
  private void copyTree(ContainerPaths paths, Path src, Path dst, boolean rootOwned) {
    try {
      PosixFileAttributes a = Files.readAttributes(src, PosixFileAttributes.class, NOFOLLOW);
      if (a.isDirectory()) {
        if (Files.exists(dst, NOFOLLOW) && !Files.isDirectory(dst, NOFOLLOW)) {
          Files.delete(dst); // a symlink or a file in the way: never written through
        }
        if (!Files.exists(dst, NOFOLLOW)) {
          Files.createDirectory(dst);
        }
        Path from = paths.directory(src);
        Path to = paths.directory(dst);
        try {
          for (String c : children(from)) {
            copyTree(paths, from.resolve(c), to.resolve(c), rootOwned);
          }
        } finally {
          paths.release(from);
          paths.release(to);
        }
      } else if (a.isSymbolicLink()) {
        deleteNonDirectory(dst);
        Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
      } else if (a.isRegularFile()) {
        if (Files.isDirectory(dst, NOFOLLOW)) {
          throw EngineException.conflict("cannot overwrite directory " + dst + " with a file").checkedByClient();
        }
        Files.deleteIfExists(dst);
        try (OutputStream out = Files.newOutputStream(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            NOFOLLOW)) {
          copyFile(paths, src, out, Long.MAX_VALUE);
        }
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
      view.setTimes(a.lastModifiedTime(), null, null);
    } catch (FileAlreadyExistsException e) {
      throw EngineException.of(EngineException.Kind.CONFLICT, e, "cannot copy to " + e.getFile()
          + ": it exists").checkedByClient();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies at most {@code limit} bytes of the regular file src, opened without following a link. */
  private void copyFile(ContainerPaths paths, Path src, OutputStream out, long limit) throws IOException {
    int fd = paths.openFile(src);
    try {
      byte[] buf = new byte[64 * 1024];
      for (long left = limit; left > 0; ) {
        int n = kernel.read(fd, buf, 0, (int) Math.min(buf.length, left));
        if (n <= 0) {
          break;
        }
        out.write(buf, 0, n);
        left -= n;
      }
    } finally {
      kernel.close(fd);
    }
  }

  private static List<String> children(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }

  private static void deleteNonDirectory(Path p) throws IOException {
    if (Files.isDirectory(p, NOFOLLOW)) {
      throw EngineException.conflict("cannot overwrite directory " + p + " with a non-directory").checkedByClient();
    }
    Files.deleteIfExists(p);
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The name an entry's copy gets: its name in the container ("rootfs" for the root). */
  private static String name(ContainerPaths.Entry entry) {
    String base = entry.baseName();
    return base.equals("/") ? "rootfs" : base;
  }
}
