package org.jocker.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.container.EndpointConfig;

/**
 * A container's place on the bridge network for one run, kept in {@code network/endpoints/ID.json}
 * from before the CNI ADD until after the DEL, so that whoever tears it down (the container's exit
 * command, rm, or the next command after a crash) has what DEL needs.
 *
 * @param netns the bind-mounted namespace file the plugins were given
 * @param ports the ports asked for this run, host ports chosen
 * @param cniResult the CNI result of the ADD (null until it succeeded): addresses, interfaces
 * @param containerName the container's name when the endpoint was made, one of its DNS names
 * @param config its aliases and the address it asked for
 * @param ifname its interface in the container: eth0 (the default route, the published ports), then
 *     eth1... for the networks connected later
 * @param dnsServers the container's --dns servers: on a user-defined network its resolv.conf names
 *     the network's DNS server, which forwards the names it does not know to these (else the host's)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Endpoint(String containerId, String netns, BridgeNetwork network, List<PublishedPort> ports,
    JsonNode cniResult, String containerName, EndpointConfig config, String ifname, List<String> dnsServers) {
  public static final String FIRST_INTERFACE = "eth0";

  public Endpoint {
    ports = ports == null ? List.of() : List.copyOf(ports);
    config = config == null ? EndpointConfig.NONE : config;
    ifname = ifname == null ? FIRST_INTERFACE : ifname;
    dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
  }

  public Endpoint withResult(JsonNode result) {
    return new Endpoint(containerId, netns, network, ports, result, containerName, config, ifname, dnsServers);
  }

  /** Whether this is the container's first interface, the one with its default route. */
  public boolean first() {
    return ifname.equals(FIRST_INTERFACE);
  }

  /**
   * The names other containers on a user-defined network resolve to this one, as Docker's
   * DNSNames: its name, its aliases, its short id (none on the default bridge, as in Docker).
   */
  public List<String> dnsNames() {
    if (network.name().equals(BridgeNetwork.NAME)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (containerName != null) {
      names.add(containerName);
    }
    names.addAll(config.aliases());
    names.add(containerId.substring(0, 12));
    return names;
  }

  /** The container's address without its prefix (172.17.0.2), "" before the ADD. */
  public String ipAddress() {
    String cidr = cidr();
    return cidr.isEmpty() ? "" : cidr.substring(0, cidr.indexOf('/'));
  }

  /** The container's gateway; none on an internal network (Docker's bridge driver sets none there). */
  public String gateway() {
    if (network != null && network.internal()) {
      return "";
    }
    JsonNode ip = firstIp();
    return ip != null && ip.hasNonNull("gateway") ? ip.get("gateway").asText() : "";
  }

  public int prefixLength() {
    String cidr = cidr();
    return cidr.isEmpty() ? 0 : Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
  }

  /** The MAC address of the container's interface (the one in its namespace). */
  public String macAddress() {
    if (cniResult == null || !cniResult.has("interfaces")) {
      return "";
    }
    for (JsonNode i : cniResult.get("interfaces")) {
      if (i.hasNonNull("sandbox") && i.hasNonNull("mac")) {
        return i.get("mac").asText();
      }
    }
    return "";
  }

  private String cidr() {
    JsonNode ip = firstIp();
    return ip != null && ip.hasNonNull("address") ? ip.get("address").asText() : "";
  }

  private JsonNode firstIp() {
    return cniResult != null && cniResult.has("ips") && !cniResult.get("ips").isEmpty()
        ? cniResult.get("ips").get(0) : null;
  }
}
