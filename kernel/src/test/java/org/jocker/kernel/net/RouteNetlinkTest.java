package org.jocker.kernel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespaces made without a process and a bridge, a veth pair, addresses and a route made by
 * rtnetlink, on the real kernel: all inside two namespaces of the test's own (a stand-in for the
 * host's and a container's), checked with iproute2 and with real traffic between them.
 */
class RouteNetlinkTest {
  private static final Inet4Address GATEWAY = ipv4("10.199.0.1");
  private static final Inet4Address CONTAINER = ipv4("10.199.0.2");

  @TempDir Path tmp;
  private final List<NetworkNamespace> made = new ArrayList<>();

  @AfterEach
  void removeNamespaces() {
    made.forEach(NetworkNamespace::remove);
  }

  private NetworkNamespace namespace(String name) {
    NetworkNamespace ns = NetworkNamespace.create(tmp.resolve(name));
    made.add(ns);
    return ns;
  }

  @Test
  void aNewNamespaceHasOnlyItsLoopbackUp() throws Exception {
    NetworkNamespace ns = namespace("fresh");

    String links = in(ns, "ip", "-o", "link", "show");
    assertThat(links.lines()).hasSize(1);
    assertThat(links).contains("lo:").contains("UP");
    assertThat(in(ns, "readlink", "/proc/self/ns/net")).isNotEqualTo(run("readlink", "/proc/self/ns/net"));
  }

  @Test
  void aContainerOnABridgeReachesItsGateway() throws Exception {
    NetworkNamespace host = namespace("host");
    NetworkNamespace container = namespace("container");

    connect(host, container);

    assertThat(in(container, "ip", "-o", "-4", "addr", "show", "eth0")).contains("inet 10.199.0.2/24 brd 10.199.0.255");
    assertThat(in(container, "ip", "route", "show", "default")).contains("default via 10.199.0.1 dev eth0");
    assertThat(in(host, "ip", "-o", "link", "show", "veth0")).contains("master jbr0").contains("state UP");
    assertThat(in(container, "ip", "-o", "link", "show", "eth0")).contains("link/ether 02:42:0a:c7:00:02");
    assertThat(in(host, "bridge", "-d", "link", "show", "dev", "veth0")).contains("hairpin on");
    assertThat(in(container, "busybox", "ping", "-c", "1", "-W", "2", "10.199.0.1")).contains("1 packets received");
  }

  @Test
  void deletingTheHostSideDeletesThePeerAndAMissingLinkIsNoError() throws Exception {
    NetworkNamespace host = namespace("host");
    NetworkNamespace container = namespace("container");
    connect(host, container);

    boolean deleted = host.call(() -> {
      try (RouteNetlink links = RouteNetlink.open()) {
        return links.deleteLink("veth0") && !links.deleteLink("veth0");
      }
    });

    assertThat(deleted).isTrue();
    assertThat(in(container, "ip", "-o", "link", "show")).doesNotContain("eth0");
  }

  @Test
  void errorsNameTheRequestAndTheKernelsReason() {
    NetworkNamespace host = namespace("host");
    NetworkNamespace container = namespace("container");
    connect(host, container);

    try (RouteNetlink links = RouteNetlink.openIn(host)) {
      assertThatThrownBy(() -> links.addBridge("jbr0", 0))
          .isInstanceOf(KernelException.class)
          .hasMessage("create bridge jbr0: File exists")
          .extracting(e -> ((KernelException) e).errno()).isEqualTo(Errno.EEXIST);
      assertThatThrownBy(() -> links.setUp("nosuch0")).hasMessage("link nosuch0: No such device");
    }
  }

  @Test
  void aRemovedNamespaceLeavesNoFileAndRemovingAgainIsNoError() {
    NetworkNamespace ns = NetworkNamespace.create(tmp.resolve("gone"));
    ns.remove();
    ns.remove();
    assertThat(tmp.resolve("gone")).doesNotExist();
  }

  /** The host side makes the bridge and the pair; the container side its address and route. */
  private static void connect(NetworkNamespace host, NetworkNamespace container) {
    try (RouteNetlink links = RouteNetlink.openIn(host)) {
      links.addBridge("jbr0", 0);
      links.addAddress("jbr0", GATEWAY, 24);
      links.setUp("jbr0");
      links.addVethPair("veth0", "jbr0", 0, "eth0", new byte[] {2, 0x42, 10, (byte) 199, 0, 2}, container);
      links.setHairpin("veth0");
    }
    try (RouteNetlink links = RouteNetlink.openIn(container)) {
      links.addAddress("eth0", CONTAINER, 24);
      links.setUp("eth0");
      links.addDefaultRoute(GATEWAY);
    }
  }

  private static String in(NetworkNamespace ns, String... command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + ns.file()));
    all.addAll(List.of(command));
    return run(all.toArray(String[]::new));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out.strip();
  }

  private static Inet4Address ipv4(String address) {
    try {
      return (Inet4Address) InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
