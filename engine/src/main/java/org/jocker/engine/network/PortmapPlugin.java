package org.jocker.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * Published ports by the CNI portmap plugin (its DNAT rules, also from 127.0.0.1), chained after
 * the {@link BridgeDriver}'s endpoint: ADD is given the endpoint's result, DEL the same. Only
 * containers that publish ports pay for its process.
 */
final class PortmapPlugin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CNI_VERSION = "1.0.0";
  private final CniPlugins plugins;

  PortmapPlugin(CniPlugins plugins) {
    this.plugins = plugins;
  }

  /** Publishes the endpoint's ports (none: nothing runs); returns the result to keep. */
  JsonNode add(Endpoint e, JsonNode endpointResult) {
    if (e.ports().isEmpty()) {
      return endpointResult;
    }
    JsonNode result = plugins.run("portmap", CniCall.add(e.containerId(), Path.of(e.netns()), e.ifname()),
        config(e, endpointResult));
    return result != null ? result : endpointResult;
  }

  /** Withdraws the endpoint's ports; a plugin failure is thrown after nothing else is left to try. */
  void del(Endpoint e) {
    if (!e.ports().isEmpty()) {
      plugins.run("portmap", CniCall.del(e.containerId(), Path.of(e.netns()), e.ifname()), config(e, e.cniResult()));
    }
  }

  private static ObjectNode config(Endpoint e, JsonNode prevResult) {
    ObjectNode config = JSON.createObjectNode();
    config.put("cniVersion", CNI_VERSION);
    config.put("name", e.network().name());
    config.put("type", "portmap");
    config.putObject("capabilities").put("portMappings", true);
    ArrayNode mappings = config.putObject("runtimeConfig").putArray("portMappings");
    for (PublishedPort p : e.ports()) {
      ObjectNode m = mappings.addObject();
      m.put("hostPort", p.hostPort());
      m.put("containerPort", p.containerPort());
      m.put("protocol", p.protocol());
      if (!p.hostIp().isEmpty()) {
        m.put("hostIP", p.hostIp());
      }
    }
    if (prevResult != null) {
      config.set("prevResult", prevResult);
    }
    return config;
  }
}
