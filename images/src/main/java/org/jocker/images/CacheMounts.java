package org.jocker.images;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jocker.images.digest.Digest;
import org.jocker.kernel.Durable;
import org.jocker.kernel.FileTrees;

/**
 * The directories of {@code RUN --mount=type=cache}, kept between builds under
 * ROOT/buildcache/mounts/, one per cache id (named by its digest, so any id is a safe name). A new
 * one is made under a temporary name, given its mode and owner, then renamed into place, so a
 * SIGKILL leaves a whole directory or a temporary one (removed by the next prune). Its mtime is
 * when a RUN last used it.
 */
public final class CacheMounts {
  private static final String TEMP = "tmp-";
  private final Path dir;

  CacheMounts(Path dir) {
    this.dir = dir;
  }

  /** A cache mount in use: its directory, and for sharing=locked the lock held until closed. */
  public record InUse(Path directory, FileChannel lock) implements AutoCloseable {
    @Override
    public void close() {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException e) {
          // closing a lock file cannot lose data
        }
      }
    }
  }

  /**
   * The directory of cache {@code id} (made with {@code mode}, {@code uid} and {@code gid} when
   * new); {@code exclusive} waits until no other RUN holds it exclusively (sharing=locked).
   */
  public InUse open(String id, int mode, int uid, int gid, boolean exclusive) {
    String name = Digest.sha256(id.getBytes(StandardCharsets.UTF_8)).encoded();
    Path target = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (!Files.isDirectory(target)) {
        Path temp = Files.createTempDirectory(dir, TEMP);
        Files.setPosixFilePermissions(temp, permissions(mode));
        Files.setAttribute(temp, "unix:uid", uid);
        Files.setAttribute(temp, "unix:gid", gid);
        try {
          Durable.rename(temp, target);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
          FileTrees.deleteUnchecked(temp); // another build made it meanwhile
        }
      }
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
      FileChannel lock = null;
      if (exclusive) {
        lock = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock();
        assert held.isValid();
      }
      return new InUse(target, lock);
    } catch (IOException e) {
      throw new ImageException("cannot prepare cache mount " + id + ": " + e.getMessage(), e);
    }
  }

  /** Removes the cache directories last used before {@code until} (all when null); returns the bytes freed. */
  long remove(Instant until) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long freed = 0;
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(Files::isDirectory).forEach(entries::add);
      for (Path entry : entries) {
        boolean temp = entry.getFileName().toString().startsWith(TEMP);
        if (temp || until == null || Files.getLastModifiedTime(entry).toInstant().isBefore(until)) {
          freed += size(entry);
          FileTrees.deleteUnchecked(entry);
          Files.deleteIfExists(dir.resolve(entry.getFileName() + ".lock"));
        }
      }
    } catch (IOException e) {
      throw new ImageException("cannot prune cache mounts in " + dir + ": " + e.getMessage(), e);
    }
    return freed;
  }

  private static long size(Path tree) throws IOException {
    try (Stream<Path> walk = Files.walk(tree)) {
      return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // removed meanwhile
        }
      }).sum();
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(all[i]);
      }
    }
    return set;
  }
}
