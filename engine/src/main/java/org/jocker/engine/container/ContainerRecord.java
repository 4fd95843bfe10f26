package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What the engine keeps about a container (container.json in its directory), written atomically
 * when it is made. Its running state is the runtime's, read from the kernel.
 *
 * @param image the image ID; {@code imageRef} is the name it was asked for by
 * @param hostConfig run's options beyond the process (labels, stop signal and timeout, mounts, limits)
 * @param volumes the names of the volumes it mounts (named and anonymous)
 * @param openStdin its stdin stays open for attach clients (-i), kept by its monitor
 * @param networks the bridge-driver networks it is connected to, in order (the first one gives eth0, the
 *     default route and the published ports), each with its aliases and address (--network-alias,
 *     --ip, `network connect`); a record made before it: its --network alone
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    String id, String name, String image, String imageRef, String created, List<String> args,
    boolean autoRemove, HostConfig hostConfig, List<String> volumes, boolean openStdin,
    Map<String, EndpointConfig> networks) {

  public ContainerRecord {
    hostConfig = hostConfig == null ? HostConfig.DEFAULT : hostConfig;
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networks = networks != null ? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks))
        : onlyItsNetworkMode(hostConfig.networkMode());
  }

  public ContainerRecord(String id, String name, String image, String imageRef, String created, List<String> args,
      boolean autoRemove, HostConfig hostConfig, List<String> volumes, boolean openStdin) {
    this(id, name, image, imageRef, created, args, autoRemove, hostConfig, volumes, openStdin, null);
  }

  public ContainerRecord(String id, String name, String image, String imageRef, String created, List<String> args,
      boolean autoRemove) {
    this(id, name, image, imageRef, created, args, autoRemove, null, null, false);
  }

  public Map<String, String> labels() {
    return hostConfig.labels();
  }

  /** --stop-signal, null for the image's or SIGTERM. */
  public String stopSignal() {
    return hostConfig.stopSignal();
  }

  /** --stop-timeout in seconds, null for the default (10). */
  public Integer stopTimeout() {
    return hostConfig.stopTimeout();
  }

  /** The same container under another name (`rename`). */
  public ContainerRecord withName(String newName) {
    return new ContainerRecord(id, newName, image, imageRef, created, args, autoRemove, hostConfig, volumes,
        openStdin, networks);
  }

  /** The same container connected to other networks (`network connect/disconnect`). */
  public ContainerRecord withNetworks(Map<String, EndpointConfig> changed) {
    return new ContainerRecord(id, name, image, imageRef, created, args, autoRemove, hostConfig, volumes,
        openStdin, changed);
  }

  /** A bridge-driver network mode (not host, none, container:ID, or none recorded) as the only network. */
  private static Map<String, EndpointConfig> onlyItsNetworkMode(String mode) {
    return mode == null || mode.equals("host") || mode.equals("none") || mode.startsWith("container:") ? Map.of()
        : Map.of(mode, EndpointConfig.NONE);
  }
}
