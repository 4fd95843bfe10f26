package org.jocker.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of a file tree of our own, which may already be (partly) gone. */
public final class FileTrees {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private FileTrees() {}

  /**
   * Deletes {@code root} and everything under it; a missing root is fine. Symlinks are removed,
   * never followed. It never deletes into another mount: if a mount point is at or under
   * {@code root} (a bind mount of the same file system included), or a directory turns out to be
   * on another device while walking, it fails with a {@link FileSystemException} naming it, having
   * deleted nothing of that mount (callers unmount first; emptying a mount could reach the host).
   */
  public static void delete(Path root) throws IOException {
    BasicFileAttributes top = attributes(root);
    if (top == null) {
      return;
    }
    if (!top.isDirectory()) {
      Files.deleteIfExists(root); // a file or a symlink: the link itself, not its target
      return;
    }
    Object device;
    try {
      refuseMountPointsUnder(root);
      device = Files.getAttribute(root, "unix:dev", NOFOLLOW);
    } catch (NoSuchFileException e) {
      return; // removed meanwhile
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() { // never follows symlinks
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Object dirDevice;
        try {
          dirDevice = Files.getAttribute(dir, "unix:dev", NOFOLLOW);
        } catch (NoSuchFileException e) {
          return FileVisitResult.SKIP_SUBTREE; // removed meanwhile
        }
        if (!device.equals(dirDevice)) {
          throw anotherMount(dir, root);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // removed meanwhile
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Same as {@link #delete} for callers that cannot throw IOException. */
  public static void deleteUnchecked(Path root) {
    try {
      delete(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }

  /** Fails before anything is deleted if the mount table has a mount point at or under root. */
  private static void refuseMountPointsUnder(Path root) throws IOException {
    String real = root.toRealPath().toString();
    String prefix = real.equals("/") ? "/" : real + "/";
    for (Mount m : MountInfo.read()) {
      if (m.mountPoint().equals(real) || m.mountPoint().startsWith(prefix)) {
        throw anotherMount(Path.of(m.mountPoint()), root);
      }
    }
  }

  private static FileSystemException anotherMount(Path mountPoint, Path root) {
    return new FileSystemException(mountPoint.toString(), null,
        "a mount point inside " + root + "; not deleting into another mount (unmount it first)");
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
