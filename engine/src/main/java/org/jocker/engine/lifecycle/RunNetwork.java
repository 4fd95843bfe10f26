package org.jocker.engine.lifecycle;

import java.util.Optional;

/**
 * The network of a build's RUN container, as {@code docker build --network} and
 * {@code RUN --network} name it (BuildKit's NetMode): the engine's default bridge (none when the
 * engine has no bridge, as for `jocker run`), only loopback, or the host's namespace.
 */
public enum RunNetwork {
  DEFAULT("default"),
  NONE("none"),
  HOST("host");

  private final String dockerName;

  RunNetwork(String dockerName) {
    this.dockerName = dockerName;
  }

  public String dockerName() {
    return dockerName;
  }

  /** The mode a name asks for; empty for any other (BuildKit refuses a network name). */
  public static Optional<RunNetwork> named(String name) {
    for (RunNetwork n : values()) {
      if (n.dockerName.equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
