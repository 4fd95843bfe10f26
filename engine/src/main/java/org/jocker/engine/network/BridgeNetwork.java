package org.jocker.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network of the bridge driver: Docker's default `bridge` (Linux bridge jocker0) or a
 * user-defined one (br-ID): its name, id, the Linux bridge, its subnet and the gateway address
 * the bridge holds.
 *
 * @param internal `network create --internal`: no route out, no masquerade, nothing in or out but
 *     its own traffic
 * @param ipRange `--ip-range`: the part of the subnet containers' addresses come from (null: all)
 * @param labels `--label`
 * @param options `-o` driver options as given (com.docker.network.bridge.name,
 *     com.docker.network.driver.mtu and com.docker.network.bridge.enable_ip_masquerade are applied)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeNetwork(String name, String id, String bridge, String subnet, String gateway, String created,
    boolean internal, String ipRange, Map<String, String> labels, Map<String, String> options) {
  /** Docker's name of the default network. */
  public static final String NAME = "bridge";

  public BridgeNetwork {
    name = name == null ? NAME : name;
    id = id == null ? NetworkSettings.networkId(name) : id;
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
  }

  public BridgeNetwork(String name, String id, String bridge, String subnet, String gateway, String created) {
    this(name, id, bridge, subnet, gateway, created, false, null, null, null);
  }

  /** The default network on a Linux bridge. */
  public static BridgeNetwork defaultOn(String bridge, String subnet, String gateway) {
    return new BridgeNetwork(NAME, null, bridge, subnet, gateway, null);
  }

  /**
   * The MTU of its bridge and veths: `-o com.docker.network.driver.mtu` (checked at create), else
   * Docker's default (dockerd's --mtu), 1500.
   */
  public int mtu() {
    String asked = options.get(NetworkCreation.MTU_OPTION);
    int mtu = asked == null ? 0 : Integer.parseInt(asked.strip());
    return mtu == 0 ? NetworkCreation.DEFAULT_MTU : mtu;
  }

  public int prefixLength() {
    return Ipv4Subnet.parse(subnet).prefixLength();
  }
}
