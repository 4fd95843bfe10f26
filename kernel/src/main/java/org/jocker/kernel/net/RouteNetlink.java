package org.jocker.kernel.net;

import static org.jocker.kernel.net.NetlinkSocket.NLM_F_ACK;
import static org.jocker.kernel.net.NetlinkSocket.NLM_F_CREATE;
import static org.jocker.kernel.net.NetlinkSocket.NLM_F_EXCL;
import static org.jocker.kernel.net.NetlinkSocket.NLM_F_REQUEST;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;

/**
 * The links, addresses and routes of one network namespace, by rtnetlink (what {@code ip link},
 * {@code ip addr} and {@code ip route} send), each a request of well under a millisecond instead
 * of a process. Links are named by interface name; IPv4 only for now.
 */
public final class RouteNetlink implements AutoCloseable {
  private static final int RTM_NEWLINK = 16;
  private static final int RTM_DELLINK = 17;
  private static final int RTM_GETLINK = 18;
  private static final int RTM_SETLINK = 19;
  private static final int RTM_NEWADDR = 20;
  private static final int RTM_NEWROUTE = 24;

  private static final int AF_UNSPEC = 0;
  private static final int AF_INET = 2;
  private static final int AF_BRIDGE = 7;
  private static final int IFF_UP = 0x1;

  private static final int IFLA_ADDRESS = 1;
  private static final int IFLA_IFNAME = 3;
  private static final int IFLA_MTU = 4;
  private static final int IFLA_MASTER = 10;
  private static final int IFLA_PROTINFO = 12;
  private static final int IFLA_LINKINFO = 18;
  private static final int IFLA_NET_NS_FD = 28;
  private static final int IFLA_INFO_KIND = 1;
  private static final int IFLA_INFO_DATA = 2;
  private static final int VETH_INFO_PEER = 1;
  private static final int IFLA_BRPORT_MODE = 4;
  private static final int NLA_F_NESTED = 0x8000;

  private static final int IFA_ADDRESS = 1;
  private static final int IFA_LOCAL = 2;
  private static final int IFA_BROADCAST = 4;

  private static final int RTA_GATEWAY = 5;
  private static final int RT_TABLE_MAIN = 254;
  private static final int RTPROT_BOOT = 3;
  private static final int RT_SCOPE_UNIVERSE = 0;
  private static final int RTN_UNICAST = 1;

  private final NetlinkSocket socket;

  private RouteNetlink(NetlinkSocket socket) {
    this.socket = socket;
  }

  /** The calling thread's network namespace. */
  public static RouteNetlink open() {
    return new RouteNetlink(NetlinkSocket.open());
  }

  /** Another namespace: the socket is opened there, and keeps working from any thread. */
  public static RouteNetlink openIn(NetworkNamespace namespace) {
    return namespace.call(RouteNetlink::open);
  }

  /** A Linux bridge, down, with the given MTU (0: the kernel's default). */
  public void addBridge(String name, int mtu) {
    NetlinkMessage m = newLink(NLM_F_CREATE | NLM_F_EXCL, 0, 0).attribute(IFLA_IFNAME, name);
    if (mtu > 0) {
      m.attribute(IFLA_MTU, mtu);
    }
    m.beginNest(IFLA_LINKINFO).attribute(IFLA_INFO_KIND, "bridge").endNest();
    socket.request(m, "create bridge " + name);
  }

  /**
   * A veth pair: {@code name} here, up and enslaved to {@code master} (a bridge), and its peer,
   * down, created directly in {@code peerNamespace} as {@code peerName} (so it never shows here),
   * with the hardware address {@code peerMac} (null: a random one).
   */
  public void addVethPair(String name, String master, int mtu, String peerName, byte[] peerMac,
      NetworkNamespace peerNamespace) {
    int masterIndex = index(master);
    try (Descriptor peerNs = peerNamespace.open()) {
      NetlinkMessage m = newLink(NLM_F_CREATE | NLM_F_EXCL, 0, IFF_UP)
          .attribute(IFLA_IFNAME, name)
          .attribute(IFLA_MASTER, masterIndex);
      if (mtu > 0) {
        m.attribute(IFLA_MTU, mtu);
      }
      m.beginNest(IFLA_LINKINFO).attribute(IFLA_INFO_KIND, "veth").beginNest(IFLA_INFO_DATA)
          .beginNest(VETH_INFO_PEER);
      ifinfo(m, 0, 0);
      m.attribute(IFLA_IFNAME, peerName).attribute(IFLA_NET_NS_FD, peerNs.number());
      if (peerMac != null) {
        m.attribute(IFLA_ADDRESS, peerMac);
      }
      if (mtu > 0) {
        m.attribute(IFLA_MTU, mtu);
      }
      m.endNest().endNest().endNest();
      socket.request(m, "create veth " + name + " with peer " + peerName + " in " + peerNamespace.file());
    }
  }

  public void setUp(String name) {
    socket.request(newLink(0, index(name), IFF_UP), "set " + name + " up");
  }

  /**
   * Hairpin mode on a bridge port ({@code bridge link set dev NAME hairpin on}): the bridge may send
   * a frame back out of the port it came in by, so a container reaches itself through a published
   * port's DNAT.
   */
  public void setHairpin(String name) {
    NetlinkMessage m = new NetlinkMessage(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK)
        .u8(AF_BRIDGE).u8(0).u16(0).u32(index(name)).u32(0).u32(0)
        .beginNest(IFLA_PROTINFO | NLA_F_NESTED).attribute(IFLA_BRPORT_MODE, new byte[] {1}).endNest();
    socket.request(m, "set hairpin mode on " + name);
  }

  /** The link's hardware address (e.g. a bridge's, so it does not change as ports come and go). */
  public void setHardwareAddress(String name, byte[] mac) {
    socket.request(newLink(0, index(name), 0).attribute(IFLA_ADDRESS, mac), "set address of " + name);
  }

  /** Deletes the link (and a veth's peer with it); false when there was none. */
  public boolean deleteLink(String name) {
    OptionalInt index = findIndex(name);
    if (index.isEmpty()) {
      return false;
    }
    NetlinkMessage m = new NetlinkMessage(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
    ifinfo(m, index.getAsInt(), 0);
    try {
      socket.request(m, "delete link " + name);
      return true;
    } catch (KernelException e) {
      if (e.errno() == Errno.ENODEV) {
        return false;
      }
      throw e;
    }
  }

  /** {@code address/prefixLength} on the link, with the subnet's broadcast address. */
  public void addAddress(String name, Inet4Address address, int prefixLength) {
    byte[] local = address.getAddress();
    int bits = ByteBuffer.wrap(local).getInt();
    int hostMask = prefixLength >= 32 ? 0 : -1 >>> prefixLength;
    byte[] broadcast = ByteBuffer.allocate(4).putInt(bits | hostMask).array();
    NetlinkMessage m = new NetlinkMessage(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
        .u8(AF_INET).u8(prefixLength).u8(0).u8(RT_SCOPE_UNIVERSE).u32(index(name))
        .attribute(IFA_LOCAL, local).attribute(IFA_ADDRESS, local).attribute(IFA_BROADCAST, broadcast);
    socket.request(m, "add address " + address.getHostAddress() + "/" + prefixLength + " to " + name);
  }

  /** The default route through {@code gateway}. */
  public void addDefaultRoute(Inet4Address gateway) {
    NetlinkMessage m = new NetlinkMessage(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
        .u8(AF_INET).u8(0).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(RTPROT_BOOT).u8(RT_SCOPE_UNIVERSE).u8(RTN_UNICAST)
        .u32(0)
        .attribute(RTA_GATEWAY, gateway.getAddress());
    socket.request(m, "add default route via " + gateway.getHostAddress());
  }

  /** The link's index, if there is a link of that name here. */
  public OptionalInt findIndex(String name) {
    NetlinkMessage m = new NetlinkMessage(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
    ifinfo(m, 0, 0);
    m.attribute(IFLA_IFNAME, name);
    try {
      List<ByteBuffer> answers = socket.request(m, "find link " + name);
      return answers.isEmpty()
          ? OptionalInt.empty()
          : OptionalInt.of(answers.getFirst().getInt(NetlinkMessage.HEADER_SIZE + 4));
    } catch (KernelException e) {
      if (e.errno() == Errno.ENODEV) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  private int index(String name) {
    return findIndex(name).orElseThrow(() -> new KernelException("link " + name, Errno.ENODEV));
  }

  /** RTM_NEWLINK on {@code index} (0: a new link), setting the flags in {@code up} (IFF_UP or 0). */
  private static NetlinkMessage newLink(int createFlags, int index, int up) {
    NetlinkMessage m = new NetlinkMessage(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | createFlags);
    ifinfo(m, index, up);
    return m;
  }

  /** struct ifinfomsg: family, pad, type, index, flags, change (16 bytes). */
  private static void ifinfo(NetlinkMessage m, int index, int upFlags) {
    m.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(upFlags).u32(upFlags);
  }

  @Override
  public void close() {
    socket.close();
  }
}
