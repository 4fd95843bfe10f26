package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.kernel.Durable;

/** The endpoints of running (or torn-down-by-nobody-yet) containers: {@code network/endpoints/ID.json}. */
final class EndpointStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";
  private final Path dir;

  EndpointStore(Path dir) {
    this.dir = dir;
  }

  Optional<Endpoint> find(String containerId) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(file(containerId)), Endpoint.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the endpoint of " + containerId, e);
    }
  }

  void save(Endpoint e) {
    try {
      Files.createDirectories(dir);
      Durable.write(file(e.containerId()), JSON.writeValueAsBytes(e));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the endpoint of " + e.containerId(), ex);
    }
  }

  void remove(String containerId) {
    try {
      Files.deleteIfExists(file(containerId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the endpoint of " + containerId, e);
    }
  }

  List<Endpoint> list() {
    List<Endpoint> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(".")) {
          find(name.substring(0, name.length() - SUFFIX.length())).ifPresent(all::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return all;
  }

  private Path file(String containerId) {
    return dir.resolve(containerId + SUFFIX);
  }
}
