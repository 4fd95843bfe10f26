package org.jocker.engine.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;

/**
 * What `network create` asks for.
 *
 * @param driver only bridge (host and null exist once, as built-in networks; others are unknown)
 * @param subnet CIDR, null to choose a free one of Docker's pools
 * @param gateway null for the subnet's first address
 * @param ipRange CIDR inside the subnet the containers' addresses come from, null for all of it
 * @param options `-o KEY=VALUE` driver options (com.docker.network.bridge.name,
 *     com.docker.network.bridge.enable_ip_masquerade, com.docker.network.driver.mtu)
 */
public record NetworkCreation(String name, String driver, String subnet, String gateway, String ipRange,
    boolean internal, Map<String, String> labels, Map<String, String> options) {
  /** Docker's driver option naming the Linux bridge. */
  public static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
  /** Docker's driver option for the MTU of the network's bridge and of its containers' interfaces. */
  public static final String MTU_OPTION = "com.docker.network.driver.mtu";
  /** Docker's MTU when none is asked for (dockerd's --mtu default). */
  public static final int DEFAULT_MTU = 1500;
  /** The least MTU the kernel takes for an IPv4 interface, and the most a bridge or veth takes. */
  private static final int MIN_MTU = 68;
  private static final int MAX_MTU = 65535;

  public NetworkCreation {
    driver = driver == null || driver.isEmpty() ? "bridge" : driver;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public static NetworkCreation of(String name, String subnet, String gateway) {
    return new NetworkCreation(name, null, subnet, gateway, null, false, null, null);
  }

  /** KEY=VALUE entries (a bare KEY has an empty value), as Docker's --label and -o take them. */
  public static Map<String, String> keyValues(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String e : entries) {
      int eq = e.indexOf('=');
      out.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return out;
  }

  /**
   * Docker's bridge driver's refusals of an MTU that is not a number or is negative; one the
   * kernel would refuse later (below 68, above 65535) is refused now with the same words. 0 is
   * the default, as in Docker.
   */
  void checkMtu() {
    String asked = options.get(MTU_OPTION);
    if (asked == null) {
      return;
    }
    int mtu;
    try {
      mtu = Integer.parseInt(asked.strip());
    } catch (NumberFormatException e) {
      throw EngineException.invalidArgument("failed to parse " + MTU_OPTION + " value: " + asked
          + " (strconv.Atoi: parsing \"" + asked + "\": invalid syntax)");
    }
    if (mtu != 0 && (mtu < MIN_MTU || mtu > MAX_MTU)) { // 0: the default, as Docker's
      throw EngineException.invalidArgument("invalid MTU number: " + mtu);
    }
  }

  /** Docker's refusals of a driver that is not bridge. */
  void checkDriver() {
    switch (driver) {
      case "bridge" -> { }
      case "host", "null" -> throw EngineException.forbidden("only one instance of \"" + driver
          + "\" network is allowed");
      default -> throw EngineException.notFound("plugin \"" + driver + "\" not found");
    }
  }
}
