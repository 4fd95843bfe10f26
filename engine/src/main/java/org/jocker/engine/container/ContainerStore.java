package org.jocker.engine.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.MountInfo;

/**
 * The engine's containers: {@code <root>/containers/<id>/} holding container.json and the OCI
 * bundle (config.json, rootfs mount point).
 *
 * <p>A container exists exactly when its record does: create writes it last, rm deletes it first
 * (after the runtime let go). A directory without a record is a create or rm in progress, or the
 * leftover of one that was killed; which of the two is told by the store lock (see {@link #locked}).
 */
public final class ContainerStore {
  private static final String RECORD = "container.json";
  private static final String LOG = "container.log";
  private final Path root;
  private final StoreLock lock;
  // One mapper for every store: it caches what it learnt of each class (a resident engine reuses it).
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public ContainerStore(Path root) {
    this.root = root;
    // Beside the directory, which holds containers only.
    this.lock = new StoreLock(root.resolveSibling(root.getFileName() + ".lock"));
  }

  /** Runs a change of the store (create, start, rm, rename) holding its lock. */
  public <T> T locked(Supplier<T> work) {
    return lock.locked(work);
  }

  public void locked(Runnable work) {
    lock.locked(work);
  }

  /** Runs work if no change is in progress (so directories without a record are leftovers). */
  public boolean ifNoChangeInProgress(Runnable work) {
    return lock.ifFree(work);
  }

  /** The directory of a container being made, before its record (mount point included). */
  public void makeDir(String id) {
    try {
      Files.createDirectories(bundle(id).resolve("rootfs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the directory of container " + id, e);
    }
  }

  public Path dir(String id) {
    return root.resolve(id);
  }

  public Path bundle(String id) {
    return dir(id).resolve("bundle");
  }

  /** The container's output, json-file (its monitor writes it, `logs` reads it). */
  public Path log(String id) {
    return dir(id).resolve(LOG);
  }

  public void save(ContainerRecord record) {
    try {
      Files.createDirectories(bundle(record.id()).resolve("rootfs"));
      Durable.writeUnchecked(dir(record.id()).resolve(RECORD), JSON.writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save container " + record.id(), e);
    }
  }

  public List<ContainerRecord> list() {
    List<ContainerRecord> all = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return all;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        read(d.resolve(RECORD)).ifPresent(all::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  /** By full id, unique id prefix, or name (as Docker resolves container names). */
  public Optional<ContainerRecord> find(String idOrName) {
    List<ContainerRecord> all = list();
    for (ContainerRecord r : all) {
      if (r.id().equals(idOrName) || r.name().equals(idOrName)) {
        return Optional.of(r);
      }
    }
    List<ContainerRecord> byPrefix = all.stream().filter(r -> r.id().startsWith(idOrName)).toList();
    return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
  }

  /** The names in use, which a new name must not be. */
  public Set<String> names() {
    Set<String> taken = new HashSet<>();
    list().forEach(c -> taken.add(c.name()));
    return taken;
  }

  /** The container, or NOT_FOUND with Docker's message. */
  public ContainerRecord get(String idOrName) {
    return find(idOrName).orElseThrow(() -> EngineException.notFound("No such container: " + idOrName));
  }

  /** Whether its rootfs is mounted (it is not after a reboot, or before create mounted it). */
  public boolean isMounted(String id) {
    return MountInfo.isMountPoint(bundle(id).resolve("rootfs"));
  }

  /** Ids of the directories without a record (in progress, or left by a killed command). */
  public List<String> withoutRecord() {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return ids;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        if (!Files.exists(d.resolve(RECORD))) {
          ids.add(d.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** Deletes the record: from here on the container does not exist, whatever is left of it. */
  public void removeRecord(String id) {
    try {
      Files.deleteIfExists(dir(id).resolve(RECORD));
      Durable.syncDirectory(dir(id));
    } catch (NoSuchFileException e) {
      // the whole directory is gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove container " + id, e);
    }
  }

  public void remove(String id) {
    removeRecord(id);
    FileTrees.deleteUnchecked(dir(id));
  }

  private Optional<ContainerRecord> read(Path file) {
    try {
      return Optional.of(JSON.readValue(file.toFile(), ContainerRecord.class));
    } catch (IOException e) {
      return Optional.empty(); // a directory without its record is a container being made
    }
  }
}
