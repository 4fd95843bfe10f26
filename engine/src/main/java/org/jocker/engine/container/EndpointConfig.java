package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a container asks of its place on a network (Docker's EndpointSettings as `run` and
 * `network connect` set them): its network-scoped aliases (--network-alias, --alias), names other
 * containers on a user-defined network resolve to it, a fixed address there (--ip, null for one
 * from the network's pool) and a fixed MAC address of its interface (--mac-address, on its first
 * network, the default bridge too; lower case with colons; null for Docker's, derived from the
 * address).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointConfig(List<String> aliases, String ipv4Address, String macAddress) {
  public static final EndpointConfig NONE = new EndpointConfig(null, null, null);

  public EndpointConfig {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
    macAddress = macAddress == null || macAddress.isEmpty() ? null : macAddress;
  }

  public EndpointConfig(List<String> aliases, String ipv4Address) {
    this(aliases, ipv4Address, null);
  }

  /** Whether nothing is asked (the default for every network). */
  public boolean isEmpty() {
    return aliases.isEmpty() && ipv4Address == null && macAddress == null;
  }
}
