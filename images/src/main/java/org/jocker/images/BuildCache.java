package org.jocker.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jocker.images.digest.Digest;
import org.jocker.kernel.Durable;

/**
 * The build cache's records, one file per step key under ROOT/buildcache/: the layers the step
 * left (its committed snapshot is the top chain ID's) and when it was made. Each file is written
 * atomically, so a SIGKILL leaves a whole record or none; its mtime is when it was last used (for
 * `builder prune --filter until=` and the size limit). The records are roots for the images' GC:
 * the blobs and snapshots they name stay until the record goes.
 */
public final class BuildCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";

  /** One layer as recorded. */
  record StoredLayer(String digest, long size, String mediaType, String diffId) {}

  /** The file's content. */
  record Stored(List<StoredLayer> layers, String created) {}

  /** A cached step: its key (a hex digest), its result, when it was made and last used. */
  public record Entry(String key, LayerStack stack, Instant created, Instant lastUsed) {}

  private final Path dir;
  private final CacheMounts mounts;

  public BuildCache(Path dir) {
    this.dir = dir;
    this.mounts = new CacheMounts(dir.resolve("mounts"));
  }

  /** The directories of RUN --mount=type=cache. */
  public CacheMounts mounts() {
    return mounts;
  }

  /** The record of {@code key}, if any, its use time set to now. */
  public Optional<Entry> find(String key) {
    Path file = file(key);
    Optional<Entry> entry = read(file, key);
    entry.ifPresent(e -> touch(file));
    return entry;
  }

  /** Records {@code stack} as the result of step {@code key}, made at {@code created}. */
  public void record(String key, LayerStack stack, Instant created) {
    List<StoredLayer> layers = stack.layers().stream()
        .map(l -> new StoredLayer(l.digest().toString(), l.size(), l.mediaType(), l.diffId().toString()))
        .toList();
    try {
      Files.createDirectories(dir);
      Durable.write(file(key), JSON.writeValueAsBytes(new Stored(layers, created.toString())));
    } catch (IOException e) {
      throw new ImageException("cannot record build cache entry " + key + ": " + e.getMessage(), e);
    }
  }

  /** Every record, least recently used first. */
  public List<Entry> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
        String name = file.getFileName().toString();
        read(file, name.substring(0, name.length() - SUFFIX.length())).ifPresent(entries::add);
      }
    } catch (IOException e) {
      throw new ImageException("cannot list the build cache " + dir + ": " + e.getMessage(), e);
    }
    entries.sort(java.util.Comparator.comparing(Entry::lastUsed));
    return entries;
  }

  /** Removes the record of {@code key} (its layers are the GC's then). */
  public void remove(String key) {
    try {
      Files.deleteIfExists(file(key));
    } catch (IOException e) {
      throw new ImageException("cannot remove build cache entry " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * About what the records hold, cheaply: the compressed size of each distinct top layer (the
   * layer a step added). Good enough to decide whether a size limit needs a prune, which then
   * measures the snapshots.
   */
  public long approximateBytes() {
    Map<String, Long> tops = new HashMap<>();
    for (Entry e : list()) {
      if (!e.stack().layers().isEmpty()) {
        tops.put(e.stack().topChainId().orElseThrow(), e.stack().layers().getLast().size());
      }
    }
    return tops.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Deletes the temporary files of writers killed mid-write (a prune's first step). */
  public void removeLeftovers() {
    try {
      Durable.removeDeadTemps(dir);
    } catch (IOException e) {
      throw new ImageException("cannot clean the build cache " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The layer blobs the records need: roots for the content GC. */
  public Set<Digest> blobs() {
    Set<Digest> blobs = new HashSet<>();
    list().forEach(e -> e.stack().layers().forEach(l -> blobs.add(l.digest())));
    return blobs;
  }

  /** The chain IDs of every prefix of every record's stack: the committed snapshots to keep. */
  public Set<String> chains() {
    Set<String> chains = new HashSet<>();
    list().forEach(e -> chains.addAll(e.stack().chainIds()));
    return chains;
  }

  private Path file(String key) {
    if (!key.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a cache key: " + key);
    }
    return dir.resolve(key + SUFFIX);
  }

  private static Optional<Entry> read(Path file, String key) {
    try {
      Stored stored = JSON.readValue(Files.readAllBytes(file), Stored.class);
      List<LayerStack.Layer> layers = stored.layers().stream()
          .map(l -> new LayerStack.Layer(Digest.parse(l.digest()), l.size(), l.mediaType(), Digest.parse(l.diffId())))
          .toList();
      return Optional.of(new Entry(key, new LayerStack(layers), Instant.parse(stored.created()),
          Files.getLastModifiedTime(file).toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // an unreadable record is no record (written atomically, so not ours)
    }
  }

  private static void touch(Path file) {
    try {
      // not synced: a lost use time only makes the entry look older
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // removed meanwhile: the caller's entry is still valid until the GC runs
    }
  }
}
