package org.jocker.engine.volume;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;
import org.jocker.kernel.FileTrees;

/**
 * Local volumes, Docker's layout: {@code <root>/volumes/<name>/_data} is what containers mount,
 * {@code <name>/volume.json} its record (written atomically, after the data directory, so a
 * volume without it does not exist yet).
 */
public final class VolumeStore {
  public static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  private static final String RECORD = "volume.json";
  private final Path root;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public VolumeStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public static void checkName(String name) {
    if (!VALID_NAME.matcher(name).matches()) {
      throw EngineException.invalidArgument("create " + name + ": \"" + name
          + "\" includes invalid characters for a local"
          + " volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host"
          + " directory, use absolute path");
    }
  }

  /** The volume, made (empty) if it does not exist; an existing one is returned as it is. */
  public synchronized Volume create(String name, Map<String, String> labels) {
    checkName(name);
    Optional<Volume> existing = find(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path dir = root.resolve(name);
    try {
      Files.createDirectories(dir.resolve("_data"));
      String created = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      Volume v = new Volume(created, "local", labels == null ? Map.of() : Map.copyOf(labels),
          dir.resolve("_data").toString(), name, null, "local");
      Durable.writeUnchecked(dir.resolve(RECORD), JSON.writeValueAsBytes(v));
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create volume " + name, e);
    }
  }

  public Optional<Volume> find(String name) {
    if (!VALID_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path file = root.resolve(name).resolve(RECORD);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Volume.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read volume " + name, e);
    }
  }

  public Volume get(String name) {
    return find(name).orElseThrow(() -> EngineException.notFound("get " + name + ": no such volume"));
  }

  /** Every volume, by name. */
  public List<Volume> list() {
    List<Volume> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        find(d.getFileName().toString()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(Volume::name));
    return out;
  }

  /** Removes the volume's record first (it no longer exists), then its data. */
  public void remove(String name) {
    Path dir = root.resolve(name);
    try {
      Files.deleteIfExists(dir.resolve(RECORD));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove volume " + name, e);
    }
    FileTrees.deleteUnchecked(dir);
  }
}
