package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/** Measures a directory tree as {@code du --apparent-size} would: each inode once. */
final class SnapshotUsageMeter {
  private long bytes;
  private long inodes;
  private final Set<Object> seen = new HashSet<>();

  private SnapshotUsageMeter() {}

  static SnapshotUsage measure(Path root) throws IOException {
    SnapshotUsageMeter meter = new SnapshotUsageMeter();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        meter.count(attrs);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        meter.count(attrs);
        return FileVisitResult.CONTINUE;
      }
    });
    return new SnapshotUsage(meter.bytes, meter.inodes);
  }

  private void count(BasicFileAttributes attrs) {
    if (seen.add(attrs.fileKey())) {
      bytes += attrs.size();
      inodes++;
    }
  }
}
