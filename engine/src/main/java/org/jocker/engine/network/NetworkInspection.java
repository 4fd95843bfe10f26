package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/** `network inspect`: a bridge-driver network in Docker's shape, with the containers on it. */
public final class NetworkInspection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkInspection() {}

  /** @param containerNames a container's name by its id */
  public static ObjectNode of(BridgeNetwork n, List<Endpoint> endpoints, Function<String, String> containerNames) {
    ObjectNode o = JSON.createObjectNode();
    o.put("Name", n.name());
    o.put("Id", n.id());
    o.put("Created", n.created() == null ? "0001-01-01T00:00:00Z" : n.created());
    o.put("Scope", "local");
    o.put("Driver", "bridge");
    o.put("EnableIPv6", false);
    ObjectNode ipam = o.putObject("IPAM");
    ipam.put("Driver", "default");
    ipam.set("Options", null);
    ObjectNode config = ipam.putArray("Config").addObject();
    config.put("Subnet", n.subnet());
    if (n.ipRange() != null) {
      config.put("IPRange", n.ipRange());
    }
    config.put("Gateway", n.gateway());
    o.put("Internal", n.internal());
    o.put("Attachable", false);
    o.put("Ingress", false);
    o.putObject("ConfigFrom").put("Network", "");
    o.put("ConfigOnly", false);
    ObjectNode containers = o.putObject("Containers");
    for (Endpoint e : endpoints) {
      ObjectNode c = containers.putObject(e.containerId());
      c.put("Name", containerNames.apply(e.containerId()));
      c.put("EndpointID", ContainerNetworking.endpointId(e));
      c.put("MacAddress", e.macAddress());
      c.put("IPv4Address", e.ipAddress() + "/" + e.prefixLength());
      c.put("IPv6Address", "");
    }
    ObjectNode options = o.putObject("Options");
    if (n.name().equals(BridgeNetwork.NAME)) { // as dockerd shows its default bridge's
      options.put(NetworkCreation.MTU_OPTION, String.valueOf(n.mtu()));
    }
    n.options().forEach(options::put);
    options.put(NetworkCreation.BRIDGE_NAME_OPTION, n.bridge());
    ObjectNode labels = o.putObject("Labels");
    n.labels().forEach(labels::put);
    return o;
  }
}
