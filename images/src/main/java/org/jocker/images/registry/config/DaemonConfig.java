package org.jocker.images.registry.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jocker.images.registry.RegistryException;

/**
 * The registry part of the engine's configuration file, in the words of Docker's daemon.json:
 * {@code registry-mirrors} (for docker.io) and {@code insecure-registries} (host[:port] or
 * CIDR). Other keys are left to whoever reads them; a missing file is the defaults.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DaemonConfig(
    @JsonProperty("registry-mirrors") List<String> registryMirrors,
    @JsonProperty("insecure-registries") List<String> insecureRegistries) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public DaemonConfig {
    registryMirrors = registryMirrors == null ? List.of() : List.copyOf(registryMirrors);
    insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
  }

  public static DaemonConfig defaults() {
    return new DaemonConfig(List.of(), List.of());
  }

  /** @throws RegistryException when the file cannot be read or is no such JSON object */
  public static DaemonConfig load(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), DaemonConfig.class);
    } catch (NoSuchFileException e) {
      return defaults();
    } catch (IOException e) {
      throw new RegistryException("unable to configure the engine with file " + file + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
