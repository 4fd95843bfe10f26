package org.jocker.engine.network;

import org.jocker.engine.EngineException;

/** `--network`: what a container's network namespace is (Docker's built-in networks). */
public enum NetworkMode {
  /**
   * A namespace of its own on a network of the bridge driver (the default bridge or a
   * user-defined one): veth, address, route, masquerade, ports.
   */
  BRIDGE("bridge"),
  /** The host's namespace: the container sees the host's interfaces. */
  HOST("host"),
  /** A namespace of its own with only lo. */
  NONE("none"),
  /** Another container's namespace (container:ID, {@link JoinedNetwork}); never a name of its own. */
  CONTAINER("container");

  private final String dockerName;

  NetworkMode(String dockerName) {
    this.dockerName = dockerName;
  }

  /** Docker's name, as inspect shows it. */
  public String dockerName() {
    return dockerName;
  }

  /**
   * The mode of the network a container was recorded with (any other name is a user-defined
   * bridge network); none for a record made before networking existed.
   */
  public static NetworkMode recorded(String name) {
    if (name == null || name.equals(NONE.dockerName)) {
      return NONE;
    }
    if (JoinedNetwork.requested(name)) {
      return CONTAINER;
    }
    return name.equals(HOST.dockerName) ? HOST : BRIDGE;
  }

  /** Whether the name is one of Docker's predefined networks (or "default"). */
  public static boolean requestedBuiltIn(String name) {
    return name.equals("default")
        || java.util.Arrays.stream(values()).anyMatch(m -> m != CONTAINER && m.dockerName.equals(name));
  }

  /**
   * What `--network NAME` asks for, with Docker's error for a network that does not exist;
   * {@code defaultMode} when the option is absent or "default".
   */
  public static NetworkMode requested(String name, NetworkMode defaultMode, boolean bridgeEnabled) {
    if (name == null || name.isEmpty() || name.equals("default")) {
      return defaultMode;
    }
    for (NetworkMode m : values()) {
      if (m.dockerName.equals(name) && m != CONTAINER && (m != BRIDGE || bridgeEnabled)) {
        return m;
      }
    }
    throw EngineException.notFound("network " + name + " not found");
  }
}
