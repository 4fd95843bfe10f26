package org.jocker.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A network of the bridge driver: Docker's default `bridge` (Linux bridge jocker0) or a
 * user-defined one (br-ID): its name, id, the Linux bridge, its subnet and the gateway address
 * the bridge holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BridgeNetwork(String name, String id, String bridge, String subnet, String gateway, String created) {
  /** Docker's name of the default network. */
  public static final String NAME = "bridge";

  public BridgeNetwork {
    name = name == null ? NAME : name;
    id = id == null ? NetworkSettings.networkId(name) : id;
  }

  /** The default network on a Linux bridge. */
  public static BridgeNetwork defaultOn(String bridge, String subnet, String gateway) {
    return new BridgeNetwork(NAME, null, bridge, subnet, gateway, null);
  }

  public int prefixLength() {
    return Ipv4Subnet.parse(subnet).prefixLength();
  }
}
