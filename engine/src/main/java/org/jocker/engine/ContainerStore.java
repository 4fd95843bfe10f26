package org.jocker.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jocker.images.fs.LockFile;
import org.jocker.runtime.state.AtomicFiles;
import org.jocker.runtime.state.Directories;

/**
 * The engine's containers: {@code <root>/containers/<id>/} holding container.json and the OCI
 * bundle (config.json, rootfs mount point).
 */
public final class ContainerStore {
  private static final String RECORD = "container.json";
  private final Path root;
  // One mapper for every store: it caches what it learnt of each class (a resident engine reuses it).
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public ContainerStore(Path root) {
    this.root = root;
  }

  public Path dir(String id) {
    return root.resolve(id);
  }

  public Path bundle(String id) {
    return dir(id).resolve("bundle");
  }

  public void save(ContainerRecord record) {
    try {
      Files.createDirectories(bundle(record.id()).resolve("rootfs"));
      AtomicFiles.write(dir(record.id()).resolve(RECORD), JSON.writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save container " + record.id(), e);
    }
  }

  /**
   * Runs {@code action} holding the names lock: choosing a container's name and saving its record
   * must be one step, or two commands (processes, or threads of the resident engine) could both
   * take the same free name. The lock file sits beside the containers directory, which holds
   * only containers.
   */
  public <T> T withNamesLocked(Supplier<T> action) {
    try (LockFile.Held held = new LockFile(root.resolveSibling("container-names.lock")).acquire()) {
      return action.get();
    } catch (IOException e) {
      throw new UncheckedIOException("locking container names", e);
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

  public void remove(String id) {
    Directories.deleteRecursively(dir(id));
  }

  private Optional<ContainerRecord> read(Path file) {
    try {
      return Optional.of(JSON.readValue(file.toFile(), ContainerRecord.class));
    } catch (IOException e) {
      return Optional.empty(); // a directory without its record is a container being made
    }
  }
}
