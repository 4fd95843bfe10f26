package org.jocker.cli.container;

import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.container.EndpointConfig;
import org.jocker.engine.network.MacAddress;
import picocli.CommandLine.Option;

/** `run`/`create`'s options for the container's place on its (first) network. */
public final class EndpointOptions {
  @Option(names = "--network-alias", paramLabel = "ALIAS",
      description = "Add a network-scoped alias for the container (user-defined networks).")
  List<String> aliases = new ArrayList<>();
  @Option(names = "--ip", paramLabel = "IPv4", description = "IPv4 address on a user-defined network (e.g., 172.30.100.104).")
  String ip;
  @Option(names = "--mac-address", paramLabel = "MAC", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33).")
  String macAddress;

  /**
   * The options as the engine records them; a MAC address that is none fails with Docker's
   * client's words and, as its `run`'s parse errors, exit 125.
   */
  EndpointConfig config() {
    String mac = macAddress == null || macAddress.isEmpty() ? null : MacAddress.parse(macAddress);
    return new EndpointConfig(aliases, ip, mac);
  }
}
