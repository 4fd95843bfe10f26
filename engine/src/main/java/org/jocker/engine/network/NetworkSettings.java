package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.EndpointConfig;
import org.jocker.engine.container.HostConfig;

/** What `inspect` shows of a container's network, in Docker's shape (NetworkSettings, PortBindings). */
public final class NetworkSettings {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkSettings() {}

  /**
   * NetworkSettings: the first endpoint's values while it runs on a bridge-driver network, empty
   * ones otherwise; an entry in Networks for each network it is connected to.
   */
  public static ObjectNode of(ContainerRecord r, List<Endpoint> endpoints) {
    NetworkMode mode = NetworkMode.recorded(r.hostConfig().networkMode());
    Endpoint e = endpoints.isEmpty() ? null : endpoints.get(0);
    ObjectNode net = JSON.createObjectNode();
    net.put("Bridge", "");
    net.put("SandboxID", e == null ? "" : DerivedId.of("sandbox", r.id()));
    net.put("SandboxKey", e == null ? "" : e.netns());
    ObjectNode ports = net.putObject("Ports");
    if (e != null) {
      for (PublishedPort p : e.ports()) {
        ArrayNode list = ports.has(p.portKey()) ? (ArrayNode) ports.get(p.portKey()) : ports.putArray(p.portKey());
        ObjectNode binding = list.addObject();
        binding.put("HostIp", p.shownHostIp());
        binding.put("HostPort", String.valueOf(p.hostPort()));
      }
    }
    fill(net, e, e == null ? "" : ContainerNetworking.endpointId(e));
    ObjectNode networks = net.putObject("Networks");
    if (mode == NetworkMode.CONTAINER) { // another container's network: none of its own, as Docker shows it
      return net;
    }
    if (mode != NetworkMode.BRIDGE) {
      network(networks, mode.dockerName(), EndpointConfig.NONE, null);
    }
    r.networks().forEach((name, config) -> network(networks, name, config,
        endpoints.stream().filter(o -> o.network().name().equals(name)).findFirst().orElse(null)));
    return net;
  }

  /** One network's entry (Docker's EndpointSettings): the endpoint's values while it runs. */
  private static void network(ObjectNode networks, String name, EndpointConfig config, Endpoint e) {
    ObjectNode n = networks.putObject(name);
    if (config.ipv4Address() == null) {
      n.set("IPAMConfig", null);
    } else {
      n.putObject("IPAMConfig").put("IPv4Address", config.ipv4Address());
    }
    n.set("Links", null);
    strings(n, "Aliases", config.aliases());
    // a --mac-address shows also while the container does not run (Docker's EndpointSettings holds it)
    n.put("MacAddress", e != null ? e.macAddress() : config.macAddress() != null ? config.macAddress() : "");
    n.put("NetworkID", e != null ? e.network().id() : networkId(name));
    n.put("EndpointID", e == null ? "" : ContainerNetworking.endpointId(e));
    n.put("Gateway", e == null ? "" : e.gateway());
    n.put("IPAddress", e == null ? "" : e.ipAddress());
    n.put("IPPrefixLen", e == null ? 0 : e.prefixLength());
    n.put("IPv6Gateway", "");
    n.put("GlobalIPv6Address", "");
    n.put("GlobalIPv6PrefixLen", 0);
    n.set("DriverOpts", null);
    strings(n, "DNSNames", e == null ? List.of() : e.dnsNames());
  }

  /** A list of names, null when empty (as Docker shows Aliases and DNSNames). */
  private static void strings(ObjectNode o, String field, List<String> values) {
    if (values.isEmpty()) {
      o.set(field, null);
    } else {
      values.forEach(o.putArray(field)::add);
    }
  }

  private static void fill(ObjectNode net, Endpoint e, String endpointId) {
    net.put("EndpointID", endpointId);
    net.put("Gateway", e == null ? "" : e.gateway());
    net.put("GlobalIPv6Address", "");
    net.put("GlobalIPv6PrefixLen", 0);
    net.put("IPAddress", e == null ? "" : e.ipAddress());
    net.put("IPPrefixLen", e == null ? 0 : e.prefixLength());
    net.put("IPv6Gateway", "");
    net.put("MacAddress", e == null ? "" : e.macAddress());
  }

  /** HostConfig.PortBindings: {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]} ("" for ephemeral). */
  public static ObjectNode portBindings(List<HostConfig.PortBinding> bindings) {
    ObjectNode out = JSON.createObjectNode();
    for (HostConfig.PortBinding b : bindings.stream().filter(b -> !b.publishAll()).toList()) {
      ArrayNode list = out.has(b.portKey()) ? (ArrayNode) out.get(b.portKey()) : out.putArray(b.portKey());
      ObjectNode o = list.addObject();
      o.put("HostIp", b.hostIp());
      o.put("HostPort", b.shownHostPort());
    }
    return out;
  }

  /** The NetworkID of a built-in network (host, none) as ls shows it. */
  public static String builtInId(String name) {
    return networkId(name);
  }

  /** Docker's NetworkID of a built-in network. */
  static String networkId(String name) {
    return DerivedId.of("network", name);
  }
}
