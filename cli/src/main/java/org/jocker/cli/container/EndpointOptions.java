package org.jocker.cli.container;

import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.container.EndpointConfig;
import picocli.CommandLine.Option;

/** `run`/`create`'s options for the container's place on a user-defined network. */
public final class EndpointOptions {
  @Option(names = "--network-alias", paramLabel = "ALIAS",
      description = "Add a network-scoped alias for the container (user-defined networks).")
  List<String> aliases = new ArrayList<>();
  @Option(names = "--ip", paramLabel = "IPv4", description = "IPv4 address on a user-defined network (e.g., 172.30.100.104).")
  String ip;

  EndpointConfig config() {
    return new EndpointConfig(aliases, ip);
  }
}
