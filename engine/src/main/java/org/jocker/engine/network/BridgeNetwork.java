package org.jocker.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Docker's default `bridge` network as this engine made it: the Linux bridge's name (jocker0),
 * its subnet and the gateway address the bridge holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BridgeNetwork(String bridge, String subnet, String gateway) {
  /** Docker's name of the network. */
  public static final String NAME = "bridge";

  public int prefixLength() {
    return Ipv4Subnet.parse(subnet).prefixLength();
  }
}
