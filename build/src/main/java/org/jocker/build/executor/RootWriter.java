package org.jocker.build.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.jocker.build.BuildException;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.OpenFlags;

/**
 * Writes COPY/ADD's files into the root being built: each destination resolved inside that root
 * by the kernel's InRoot (the image's symlinks followed there, never out of it; missing parents
 * made 0755), the file itself created without following a link (an existing non-directory is
 * replaced), then its owner, mode and modification time set. Nothing runs in the root meanwhile.
 */
final class RootWriter implements AutoCloseable {
  private final Descriptor root;
  private final InRoot inRoot;

  RootWriter(Path rootDir) {
    this.root = Descriptor.open(rootDir, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
    this.inRoot = InRoot.of(root);
  }

  /** What a written entry gets: owner, permission bits (with setuid/setgid/sticky), mtime (null: now). */
  record Meta(long uid, long gid, int mode, FileTime modified) {}

  /** Whether {@code path} (links followed inside the root) is a directory. */
  boolean isDirectory(String path) {
    try (InRoot.Located at = inRoot.locate(path, InRoot.Option.FOLLOW_LAST)) {
      return Files.isDirectory(at.file(), LinkOption.NOFOLLOW_LINKS);
    } catch (KernelException e) {
      return false; // a parent is missing (it will be made) or is no directory (writing says so)
    }
  }

  /** Makes the directory (an existing one is merged into, as Docker does); whether it made it. */
  boolean directory(String path, Meta meta) {
    try (InRoot.Located at = inRoot.locate(path, InRoot.Option.FOLLOW_LAST, InRoot.Option.MAKE_PARENTS)) {
      Path target = at.file();
      if (at.name().equals(".") || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Files.deleteIfExists(target);
      Files.createDirectory(target);
      apply(target, meta);
      return true;
    } catch (IOException e) {
      throw failed(path, e);
    }
  }

  /** Sets a directory's mtime again once its entries are written (writing them changed it). */
  void modified(String path, FileTime time) {
    try (InRoot.Located at = inRoot.locate(path, InRoot.Option.FOLLOW_LAST)) {
      Files.setLastModifiedTime(at.file(), time);
    } catch (IOException e) {
      throw failed(path, e);
    }
  }

  void file(String path, InputStream content, Meta meta) {
    try (InRoot.Located at = inRoot.locate(path, InRoot.Option.MAKE_PARENTS)) {
      Path target = replaceable(at, path);
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        content.transferTo(out);
      }
      apply(target, meta);
    } catch (IOException e) {
      throw failed(path, e);
    }
  }

  void symlink(String path, String linkTarget, Meta meta) {
    try (InRoot.Located at = inRoot.locate(path, InRoot.Option.MAKE_PARENTS)) {
      Path target = replaceable(at, path);
      Files.createSymbolicLink(target, Path.of(linkTarget));
      chown(target, meta);
    } catch (IOException e) {
      throw failed(path, e);
    }
  }

  /** The located name, emptied of a file or link there; a directory there is an error. */
  private static Path replaceable(InRoot.Located at, String path) throws IOException {
    Path target = at.file();
    if (at.name().equals(".") || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildException("cannot replace directory " + path + " with a file");
    }
    Files.deleteIfExists(target);
    return target;
  }

  /** Owner first (chown clears setuid), then mode, then the time. */
  private static void apply(Path target, Meta meta) throws IOException {
    chown(target, meta);
    Files.setAttribute(target, "unix:mode", meta.mode(), LinkOption.NOFOLLOW_LINKS);
    if (meta.modified() != null) {
      Files.setLastModifiedTime(target, meta.modified());
    }
  }

  /** lchown: a link's own owner. */
  private static void chown(Path target, Meta meta) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) meta.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", (int) meta.gid(), LinkOption.NOFOLLOW_LINKS);
  }

  /** stat of a source file through its descriptor's /proc/self/fd path: its owner, mode and mtime. */
  static Meta metaOf(Path file) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, "unix:uid,gid,mode,lastModifiedTime");
    return new Meta(((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue(),
        ((Number) a.get("mode")).intValue() & 07777, (FileTime) a.get("lastModifiedTime"));
  }

  private static BuildException failed(String path, IOException e) {
    return new BuildException("cannot write " + path + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    root.close();
  }
}
