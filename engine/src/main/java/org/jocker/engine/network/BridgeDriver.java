package org.jocker.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jocker.kernel.Durable;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.net.NetworkNamespace;
import org.jocker.kernel.net.RouteNetlink;

/**
 * A container's endpoint on a bridge network, made in-process (as Podman's netavark does) rather
 * than by the CNI bridge, host-local and firewall plugins, which cost three processes and a
 * dozen iptables runs per container: the Linux bridge with its gateway address and
 * {@link NetworkRules} made once per network; per container an address from the
 * {@link AddressPool}, a veth pair whose peer is born in the container's namespace as eth0 (MAC
 * 02:42 and the address, as Docker's, or the one --mac-address asked for; both ends with the
 * network's MTU, as the bridge), hairpin on the bridge side, the address and default route
 * inside: rtnetlink requests only. Detaching gives the address back; the veth pair goes with the
 * namespace when it is unmounted, without the RCU wait an explicit delete costs.
 *
 * <p>The answer is written as a CNI result, so that the portmap plugin (kept for published ports)
 * and the endpoint's readers take it as they took the bridge plugin's.
 */
final class BridgeDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FORWARDING = Path.of("/proc/sys/net/ipv4/ip_forward");
  private final Path ipamDir;
  private final Runnable afterRules;

  BridgeDriver(Path ipamDir) {
    this(ipamDir, () -> { });
  }

  /** @param afterRules run after a network's rules were (re)made: the isolation chains go before them */
  BridgeDriver(Path ipamDir, Runnable afterRules) {
    this.ipamDir = ipamDir;
    this.afterRules = afterRules;
  }

  /** Sets up the endpoint; returns its CNI-format result. */
  JsonNode attach(Endpoint e) {
    BridgeNetwork network = e.network();
    String address = new AddressPool(ipamDir, network).reserve(e.containerId(), e.config().ipv4Address());
    Inet4Address ip = ipv4(address);
    Inet4Address gateway = ipv4(network.gateway());
    String asked = e.config().macAddress();
    byte[] mac = asked != null ? MacAddress.bytes(asked) : MacAddress.derived(ip);
    String hostSide = hostInterface(e);
    NetworkNamespace sandbox = NetworkNamespace.at(Path.of(e.netns()));
    try (RouteNetlink host = RouteNetlink.open()) {
      ensureBridge(host, network, gateway);
      try {
        host.addVethPair(hostSide, network.bridge(), network.mtu(), e.ifname(), mac, sandbox);
      } catch (KernelException exists) {
        if (exists.errno() != Errno.EEXIST) {
          throw exists;
        }
        host.deleteLink(hostSide); // left by a run whose namespace a process still held
        host.addVethPair(hostSide, network.bridge(), network.mtu(), e.ifname(), mac, sandbox);
      }
      host.setHairpin(hostSide);
    }
    try (RouteNetlink inside = RouteNetlink.openIn(sandbox)) {
      inside.addAddress(e.ifname(), ip, network.prefixLength());
      inside.setUp(e.ifname());
      // one default route, through the first network (as Docker's); an internal network has no way
      // out, not even a route
      if (e.first() && !network.internal()) {
        inside.addDefaultRoute(gateway);
      }
    }
    return result(e, network, hostSide, address, mac);
  }

  /**
   * Gives the endpoint's address back; its veth pair goes with the namespace, or now with
   * {@code deleteLink} (`network disconnect` of a running container). A pair already gone is fine.
   */
  void detach(Endpoint e, boolean deleteLink) {
    if (deleteLink) {
      try (RouteNetlink host = RouteNetlink.open()) {
        if (host.findIndex(hostInterface(e)).isPresent()) {
          host.deleteLink(hostInterface(e));
        }
      }
    }
    new AddressPool(ipamDir, e.network()).release(e.containerId());
  }

  /**
   * Deletes the endpoint's veth pair if it is still there after its namespace was unmounted: a
   * process left in the namespace (a created container's init) keeps it, with an address the
   * pool gave back. A pair already gone is fine.
   */
  void deleteHostInterface(Endpoint e) {
    try (RouteNetlink host = RouteNetlink.open()) {
      host.deleteLink(hostInterface(e));
    }
  }

  /**
   * Deletes the network's marker, rules and Linux bridge, in that order: a removal cut short
   * leaves a bridge whose rules the next attach makes again. A bridge never made is fine.
   */
  void removeBridge(BridgeNetwork network) {
    try {
      Files.deleteIfExists(marker(network));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + marker(network), e);
    }
    NetworkRules.remove(network);
    try (RouteNetlink links = RouteNetlink.open()) {
      links.deleteLink(network.bridge());
    }
  }

  /**
   * The bridge, up, with the gateway address, forwarding on and the network's rules; made when
   * missing, and the rules made again when this bridge (in this namespace, since this boot) has
   * not had them yet: a marker beside the network's addresses says which bridge got them.
   */
  private void ensureBridge(RouteNetlink host, BridgeNetwork network, Inet4Address gateway) {
    if (host.findIndex(network.bridge()).isEmpty()) {
      try {
        host.addBridge(network.bridge(), network.mtu());
      } catch (KernelException e) {
        if (e.errno() != Errno.EEXIST) {
          throw e;
        }
      }
    }
    String identity = bridgeIdentity(host, network);
    Path marker = marker(network);
    if (identity.equals(read(marker))) {
      return;
    }
    try {
      host.addAddress(network.bridge(), gateway, network.prefixLength());
    } catch (KernelException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
    }
    // A bridge takes the lowest MAC of its ports unless given one: each port coming or going would
    // change the gateway's MAC under the containers' ARP caches (their traffic to the gateway, DNS
    // included, lost for seconds). A fixed one, as Docker's: 02:42 and the gateway's address.
    host.setHardwareAddress(network.bridge(), MacAddress.derived(gateway));
    host.setUp(network.bridge());
    enableForwarding();
    NetworkRules.install(network);
    afterRules.run();
    try {
      Files.createDirectories(marker.getParent());
      Durable.write(marker, identity.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker, e);
    }
  }

  private Path marker(BridgeNetwork network) {
    return ipamDir.resolve(network.name()).resolve("rules");
  }

  /** Which bridge this is: the boot, the network namespace and the link's index. */
  private static String bridgeIdentity(RouteNetlink host, BridgeNetwork network) {
    try {
      String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
      String namespace = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
      return boot + " " + namespace + " " + host.findIndex(network.bridge()).orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell which bridge " + network.bridge() + " is", e);
    }
  }

  private static String read(Path marker) {
    try {
      return Files.readString(marker, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + marker, e);
    }
  }

  private static void enableForwarding() {
    try {
      if (!Files.readString(FORWARDING).strip().equals("1")) {
        Files.writeString(FORWARDING, "1\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot enable IPv4 forwarding", e);
    }
  }

  /**
   * vethXXXXXXXXXXX: the container id's first 11 digits (15 characters, the kernel's limit) for
   * eth0; vethXXXXXXXX-N for ethN (no id has a '-', so the two never meet).
   */
  static String hostInterface(Endpoint e) {
    return e.first() ? "veth" + e.containerId().substring(0, 11)
        : "veth" + e.containerId().substring(0, 8) + "-" + e.ifname().substring(3);
  }

  private static JsonNode result(Endpoint e, BridgeNetwork network, String hostSide, String address, byte[] mac) {
    ObjectNode result = JSON.createObjectNode();
    result.put("cniVersion", "1.0.0");
    var interfaces = result.putArray("interfaces");
    interfaces.addObject().put("name", network.bridge());
    interfaces.addObject().put("name", hostSide);
    interfaces.addObject().put("name", e.ifname())
        .put("mac", MacAddress.format(mac)).put("sandbox", e.netns());
    result.putArray("ips").addObject().put("address", address + "/" + network.prefixLength())
        .put("gateway", network.gateway()).put("interface", 2);
    if (e.first() && !network.internal()) {
      result.putArray("routes").addObject().put("dst", "0.0.0.0/0").put("gw", network.gateway());
    }
    return result;
  }

  private static Inet4Address ipv4(String dotted) {
    try {
      return (Inet4Address) InetAddress.getByName(dotted);
    } catch (UnknownHostException | ClassCastException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
    }
  }
}
