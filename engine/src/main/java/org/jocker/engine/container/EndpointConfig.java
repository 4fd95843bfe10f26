package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a container asks of its place on a user-defined network (Docker's EndpointSettings as
 * `run` and `network connect` set them): its network-scoped aliases (--network-alias, --alias),
 * names other containers on the network resolve to it, and a fixed address (--ip, null for one
 * from the network's pool).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointConfig(List<String> aliases, String ipv4Address) {
  public static final EndpointConfig NONE = new EndpointConfig(null, null);

  public EndpointConfig {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
  }

  /** Whether nothing is asked (the default for every network). */
  public boolean isEmpty() {
    return aliases.isEmpty() && ipv4Address == null;
  }
}
