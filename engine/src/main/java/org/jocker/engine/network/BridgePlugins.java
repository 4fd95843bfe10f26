package org.jocker.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNI plugin chain of the bridge network, as Podman's default conflist: bridge (the Linux
 * bridge, the veth pair, the gateway, masquerade) with host-local IPAM, portmap when ports are
 * published (DNAT, also from 127.0.0.1), and firewall (lets the traffic through a FORWARD chain
 * whose policy is DROP). ADD runs them in order, each given the previous result; DEL in reverse,
 * each given the ADD's result.
 */
final class BridgePlugins {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CNI_VERSION = "1.0.0";
  private final CniPlugins plugins;
  private final Path ipamDir;

  BridgePlugins(CniPlugins plugins, Path ipamDir) {
    this.plugins = plugins;
    this.ipamDir = ipamDir;
  }

  /** Runs the chain's ADD; returns the final result. */
  JsonNode add(Endpoint e) {
    CniCall call = CniCall.add(e.containerId(), Path.of(e.netns()), e.ifname());
    JsonNode result = null;
    for (ObjectNode config : chain(e)) {
      if (result != null) {
        config.set("prevResult", result);
      }
      result = plugins.run(config.get("type").asText(), call, config);
    }
    return result;
  }

  /**
   * Runs the chain's DEL in reverse; every plugin is called even if one fails (the first failure is
   * thrown at the end), so what can be released is.
   */
  void del(Endpoint e) {
    CniCall call = CniCall.del(e.containerId(), Path.of(e.netns()), e.ifname());
    List<ObjectNode> chain = chain(e);
    CniException failed = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      ObjectNode config = chain.get(i);
      if (e.cniResult() != null) {
        config.set("prevResult", e.cniResult());
      }
      try {
        plugins.run(config.get("type").asText(), call, config);
      } catch (CniException ex) {
        failed = failed == null ? ex : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private List<ObjectNode> chain(Endpoint e) {
    BridgeNetwork net = e.network();
    List<ObjectNode> chain = new ArrayList<>();
    ObjectNode bridge = plugin(net.name(), "bridge");
    bridge.put("bridge", net.bridge());
    bridge.put("isGateway", true);
    bridge.put("ipMasq", true);
    bridge.put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.put("dataDir", ipamDir.toString());
    ObjectNode range = ipam.putArray("ranges").addArray().addObject();
    range.put("subnet", net.subnet());
    range.put("gateway", net.gateway());
    if (e.first()) { // one default route: through the first network (as Docker's first endpoint)
      ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    }
    if (e.config().ipv4Address() != null) { // --ip: host-local hands out this address (the "ips" capability)
      bridge.putObject("capabilities").put("ips", true);
      bridge.putObject("runtimeConfig").putArray("ips").add(e.config().ipv4Address() + "/" + net.prefixLength());
    }
    chain.add(bridge);
    if (!e.ports().isEmpty()) {
      ObjectNode portmap = plugin(net.name(), "portmap");
      portmap.putObject("capabilities").put("portMappings", true);
      ArrayNode mappings = portmap.putObject("runtimeConfig").putArray("portMappings");
      for (PublishedPort p : e.ports()) {
        ObjectNode m = mappings.addObject();
        m.put("hostPort", p.hostPort());
        m.put("containerPort", p.containerPort());
        m.put("protocol", p.protocol());
        if (!p.hostIp().isEmpty()) {
          m.put("hostIP", p.hostIp());
        }
      }
      chain.add(portmap);
    }
    chain.add(plugin(net.name(), "firewall"));
    return chain;
  }

  private static ObjectNode plugin(String network, String type) {
    ObjectNode config = JSON.createObjectNode();
    config.put("cniVersion", CNI_VERSION);
    config.put("name", network); // host-local keeps each network's addresses in ipam/NAME
    config.put("type", type);
    return config;
  }
}
