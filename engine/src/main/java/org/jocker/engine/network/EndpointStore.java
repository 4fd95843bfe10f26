package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jocker.kernel.Durable;

/**
 * The endpoints of running (or torn-down-by-nobody-yet) containers: {@code network/endpoints/ID.json}
 * for a container's eth0, {@code ID.IFNAME.json} for the networks connected after it.
 */
final class EndpointStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";
  private final Path dir;

  EndpointStore(Path dir) {
    this.dir = dir;
  }

  /** The container's endpoints, eth0 first. */
  List<Endpoint> of(String containerId) {
    return list(containerId + "*" + SUFFIX).stream().filter(e -> e.containerId().equals(containerId))
        .sorted(Comparator.comparing(Endpoint::ifname)).toList();
  }

  void save(Endpoint e) {
    try {
      Files.createDirectories(dir);
      Durable.write(file(e.containerId(), e.ifname()), JSON.writeValueAsBytes(e));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the endpoint of " + e.containerId(), ex);
    }
  }

  void remove(Endpoint e) {
    try {
      Files.deleteIfExists(file(e.containerId(), e.ifname()));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot remove the endpoint of " + e.containerId(), ex);
    }
  }

  List<Endpoint> list() {
    return list("*" + SUFFIX);
  }

  private List<Endpoint> list(String glob) {
    List<Endpoint> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        if (!f.getFileName().toString().startsWith(".")) {
          read(f).ifPresent(all::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return all;
  }

  private Optional<Endpoint> read(Path f) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(f), Endpoint.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  private Path file(String containerId, String ifname) {
    return dir.resolve(containerId + (ifname.equals(Endpoint.FIRST_INTERFACE) ? "" : "." + ifname) + SUFFIX);
  }
}
