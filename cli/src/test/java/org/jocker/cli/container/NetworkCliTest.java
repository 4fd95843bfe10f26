package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.ResidentEngine;
import org.jocker.cli.testing.TestNetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networking with real traffic, only inside a network namespace each test makes: every jocker
 * command runs in it (nsenter --net), so the bridge, the veths, the iptables rules and the
 * sysctls the CNI plugins change are the namespace's, never the host's; deleting the namespace at
 * the end removes whatever a failed test left. Traffic goes to the namespace's 127.0.0.1 and to
 * the test's containers only.
 */
class NetworkCliTest {
  private static final long DEADLINE_NANOS = 60_000_000_000L;
  /** A DNS server on 127.0.0.2:53 answering probe.test's A query with 10.1.2.3, every other query empty. */
  private static final String ONE_NAME_RESOLVER = """
      import socket
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.bind(('127.0.0.2', 53))
      while True:
          q, peer = s.recvfrom(512)
          end = 12
          while q[end]: end += q[end] + 1
          question = q[12:end + 5]
          name, qtype = q[12:end + 1], q[end + 1:end + 3]
          hit = name == b'\\x05probe\\x04test\\x00' and qtype == b'\\x00\\x01'
          answer = b'\\xc0\\x0c\\x00\\x01\\x00\\x01\\x00\\x00\\x00\\x3c\\x00\\x04' + bytes([10, 1, 2, 3]) if hit else b''
          s.sendto(q[:2] + b'\\x81\\x80' + q[4:6] + (b'\\x00\\x01' if hit else b'\\x00\\x00') + b'\\x00\\x00\\x00\\x00'
                   + question + answer, peer)
      """;
  private static final String SERVE = "echo hello-from-$(hostname) > /tmp/index.html; exec httpd -f -p 80 -h /tmp";
  @TempDir Path tmp;
  private Jocker jocker;
  private ResidentEngine engine;
  private TestNetworkNamespace namespace;
  private String netns;
  private List<String> hostLinksBefore;
  private final List<String> otherNamespaces = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    hostLinksBefore = Jocker.hostLinks();
    jocker = Jocker.networked(tmp.resolve("root"));
    namespace = TestNetworkNamespace.create(tmp);
    netns = namespace.name();
    engine = ResidentEngine.startNetworked(namespace.enter(), tmp.resolve("engine"), tmp.resolve("root"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (String id : j("ps", "-aq", "--no-trunc").out().lines().toList()) {
        j("rm", "-f", id);
      }
      Jocker.await("no cleanup of this root left", () -> jocker.cleanups().isEmpty());
      assertThat(jocker.mountsLeft()).isEmpty();
      assertNothingOfContainersLeft();
      assertThat(jocker.aardvarks()).as("aardvark-dns of this root").isEmpty();
    } finally {
      if (engine != null) {
        engine.close();
      }
      jocker.aardvarks().forEach(ProcessHandle::destroyForcibly);
      for (String ns : otherNamespaces) {
        new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(30, TimeUnit.SECONDS);
      }
      namespace.close();
    }
    assertThat(Jocker.hostLinks()).as("the host's interfaces").isEqualTo(hostLinksBefore);
  }

  @Test
  void noneHasOnlyAnUpLoopback() {
    String links = j("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link").ok().out();
    assertThat(links.lines().toList()).hasSize(1);
    assertThat(links).contains("lo:").contains("UP");
    assertThat(j("run", "--rm", "--network", "none", "busybox", "ping", "-c", "1", "-W", "2", "127.0.0.1").code())
        .isZero();
  }

  @Test
  void hostSeesTheNamespacesInterfaces() {
    tool("ip", "-n", netns, "link", "add", "jtpair0", "type", "veth", "peer", "name", "jtpair1");
    String links = j("run", "--rm", "--network", "host", "busybox", "ip", "-o", "link").ok().out();
    assertThat(links).contains("jtpair0").contains("jtpair1");
    assertThat(inspectOf(j("create", "--network", "host", "busybox").ok().out().strip(),
        "{{.HostConfig.NetworkMode}}")).isEqualTo("host");
  }

  @Test
  void unknownNetworkIsDockersError() {
    Run r = j("run", "--rm", "--network", "nosuchnet", "busybox", "true");
    assertThat(r.code()).isEqualTo(125);
    assertThat(r.err()).contains("network nosuchnet not found");
  }

  @Test
  void bridgeContainersReachEachOtherAndHaveDockersFiles() throws Exception {
    String a = j("run", "-d", "--name", "a", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String ip = inspectOf(a, "{{.NetworkSettings.IPAddress}}");
    assertThat(ip).startsWith("172.17.0.");
    assertThat(inspectOf(a,
        "{{.NetworkSettings.Gateway}} {{.NetworkSettings.IPPrefixLen}} {{.HostConfig.NetworkMode}}"))
        .isEqualTo("172.17.0.1 16 bridge");
    assertThat(inspectOf(a, "{{.NetworkSettings.Networks.bridge.IPAddress}}")).isEqualTo(ip);
    assertThat(inspectOf(a, "{{.NetworkSettings.MacAddress}}")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    String fetched = j("run", "--rm", "busybox", "sh", "-c", "for i in $(seq 100); do wget -qO- http://" + ip
        + "/index.html && exit 0; sleep 0.1; done; exit 1").ok().out();
    assertThat(fetched).isEqualTo("hello-from-" + a.substring(0, 12) + "\n");
    assertThat(j("run", "--rm", "busybox", "ping", "-c", "1", "-W", "2", ip).code()).isZero();

    String b = j("run", "-d", "busybox", "sleep", "100").ok().out().strip();
    String ipB = inspectOf(b, "{{.NetworkSettings.IPAddress}}");
    assertThat(ipB).isNotEqualTo(ip).startsWith("172.17.0.");
    assertThat(j("exec", b, "cat", "/etc/hosts").ok().out())
        .startsWith("127.0.0.1\tlocalhost\n").endsWith(ipB + "\t" + b.substring(0, 12) + "\n");
    assertThat(j("exec", b, "cat", "/etc/hostname").ok().out()).isEqualTo(b.substring(0, 12) + "\n");
    assertThat(j("exec", b, "cat", "/etc/resolv.conf").ok().out()).doesNotContain("nameserver 127.");
    assertThat(j("exec", b, "ip", "route").ok().out()).contains("default via 172.17.0.1");
  }

  @Test
  void publishedPortAnswersOnTheLoopback() throws Exception {
    String web = j("run", "-d", "--name", "web", "-p", "127.0.0.1:18080:80", "busybox", "sh", "-c", SERVE)
        .ok().out().strip();
    assertThat(fetchFromHostSide(18080)).isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
    assertThat(j("port", "web").ok().out()).isEqualTo("80/tcp -> 127.0.0.1:18080\n");
    assertThat(j("port", "web", "80").ok().out()).isEqualTo("127.0.0.1:18080\n");
    assertThat(inspectOf(web, "{{json .NetworkSettings.Ports}}"))
        .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}]}");
    assertThat(inspectOf(web, "{{json .HostConfig.PortBindings}}"))
        .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}]}");
    assertThat(j("ps").ok().out()).contains("127.0.0.1:18080->80/tcp");

    Run taken = j("run", "-d", "--name", "second", "-p", "127.0.0.1:18080:80", "busybox", "true");
    assertThat(taken.code()).isEqualTo(125);
    assertThat(taken.err()).contains("driver failed programming external connectivity on endpoint second")
        .contains("Bind for 127.0.0.1:18080 failed: port is already allocated");

    // A port a process of the host listens on.
    Process listener = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "python3", "-c",
        "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 18081)); s.listen(); time.sleep(120)").start();
    try {
      Jocker.await("the host's listener", () -> tool("nsenter", "--net=/run/netns/" + netns, "ss", "-ltn")
          .contains("127.0.0.1:18081"));
      Run busy = j("run", "-d", "-p", "127.0.0.1:18081:80", "busybox", "true");
      assertThat(busy.code()).isEqualTo(125);
      assertThat(busy.err()).contains("listen tcp4 127.0.0.1:18081: bind: address already in use");
    } finally {
      listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ephemeralPortIsChosenAndPublished() throws Exception {
    String web = j("run", "-d", "-p", "80", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String mapped = j("port", web, "80").ok().out().strip();
    assertThat(mapped).startsWith("0.0.0.0:");
    int port = Integer.parseInt(mapped.substring("0.0.0.0:".length()));
    assertThat(port).isBetween(1024, 65535);
    assertThat(fetchFromHostSide(port)).isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
  }

  @Test
  void rmLeavesNoInterfaceRuleOrAddress() {
    String web = j("run", "-d", "-p", "127.0.0.1:18082:80", "busybox", "sleep", "100").ok().out().strip();
    assertThat(netnsTool("ip", "-o", "link")).contains("veth");
    assertThat(netnsTool("iptables-save")).contains("18082");
    j("rm", "-f", web).ok();
    assertNothingOfContainersLeft();
    assertThat(netnsTool("iptables-save")).doesNotContain("18082");
  }

  @Test
  void anExitedContainerIsTornDownByItsExitCommand() throws Exception {
    String id = j("run", "-d", "-p", "127.0.0.1:18083:80", "busybox", "sleep", "1").ok().out().strip();
    Jocker.await("the container exited", () -> inspectOf(id, "{{.State.Status}}").equals("exited"));
    Jocker.await("its endpoint torn down with no jocker of ours around",
        () -> Jocker.children(jocker.root().resolve("network/endpoints")).isEmpty());
    assertNothingOfContainersLeft();
    assertThat(inspectOf(id, "{{.NetworkSettings.IPAddress}}")).isEmpty();
    // Started again: a new address (host-local never hands out the same one twice in a row).
    j("start", id).ok();
    assertThat(j("port", id).code()).isZero();
  }

  @Test
  void teardownHappensWhenTheJockerProcessWasKilled() throws Exception {
    Process run = jockerProcess("run", "--name", "fg", "busybox", "sleep", "3")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Jocker.await("the container runs",
        () -> j("inspect", "-f", "{{.State.Status}}", "fg").out().strip().equals("running"));
    assertThat(netnsTool("ip", "-o", "link")).contains("veth");
    run.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    run.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL of the foreground jocker
    Path endpoints = jocker.root().resolve("network/endpoints");
    Jocker.await("torn down after the container's exit", () -> Jocker.children(endpoints).isEmpty());
    assertNothingOfContainersLeft();
  }

  @Test
  void aLostTeardownIsRepairedByTheNextCommand() throws Exception {
    String id = j("run", "-d", "busybox", "sleep", "100").ok().out().strip();
    // The monitor and the container killed: no exit command runs.
    int pid = Integer.parseInt(inspectOf(id, "{{.State.Pid}}"));
    long monitor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    tool("kill", "-9", String.valueOf(monitor), String.valueOf(pid));
    Jocker.await("the container is gone", () -> !inspectOf(id, "{{.State.Status}}").equals("running"));
    assertThat(netnsTool("ip", "-o", "link")).contains("veth");
    j("ps", "-a").ok();
    assertNothingOfContainersLeft();
  }

  @Test
  void userDefinedNetworkHasItsOwnBridgeAndSubnetAndIsRemovedWhenUnused() throws Exception {
    String netId = j("network", "create", "mynet").ok().out().strip();
    assertThat(netId).matches("[0-9a-f]{64}");
    assertThat(j("network", "create", "mynet").err()).contains("network with name mynet already exists");
    assertThat(j("network", "create", "--subnet", "172.18.0.0/24", "other").err())
        .contains("Pool overlaps with other one on this address space");
    assertThat(j("network", "ls").ok().out()).contains("bridge").contains("host").contains("none")
        .contains(netId.substring(0, 12) + "   mynet");

    String a = j("run", "-d", "--network", "mynet", "--name", "a", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String ip = inspectOf(a, "{{.NetworkSettings.Networks.mynet.IPAddress}}");
    assertThat(ip).startsWith("172.18.0.");
    assertThat(inspectOf(a, "{{.HostConfig.NetworkMode}} {{.NetworkSettings.Networks.mynet.NetworkID}}"))
        .isEqualTo("mynet " + netId);
    String fetched = j("run", "--rm", "--network", "mynet", "busybox", "sh", "-c",
        "for i in $(seq 100); do wget -qO- http://" + ip + "/index.html && exit 0; sleep 0.1; done; exit 1")
        .ok().out();
    assertThat(fetched).isEqualTo("hello-from-" + a.substring(0, 12) + "\n");
    assertThat(netnsTool("ip", "-o", "link")).contains("br-" + netId.substring(0, 12));
    assertThat(netnsTool("iptables-save")).contains("-A JOCKER-NAT-" + netId.substring(0, 12) + " -s 172.18.0.0/16 ! -o br-"
        + netId.substring(0, 12) + " -j MASQUERADE");
    assertThat(j("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", "mynet")
        .ok().out())
        .isEqualTo("a " + ip + "/16\n");

    Run inUse = j("network", "rm", "mynet");
    assertThat(inUse.code()).isEqualTo(1);
    assertThat(inUse.err())
        .contains("error while removing network: network mynet id " + netId + " has active endpoints");
    j("rm", "-f", a).ok();
    assertThat(j("network", "rm", "mynet").ok().out()).isEqualTo("mynet\n");
    assertThat(netnsTool("ip", "-o", "link")).doesNotContain("br-");
    assertThat(netnsTool("iptables-save")).doesNotContain(netId.substring(0, 12));
    assertThat(Jocker.children(jocker.root().resolve("network/ipam"))).doesNotContain("mynet");
    assertThat(j("run", "--rm", "--network", "mynet", "busybox", "true").err()).contains("network mynet not found");
    assertThat(j("network", "rm", "bridge").err()).contains("bridge is a pre-defined network and cannot be removed");
  }

  @Test
  void namesAndAliasesResolveOnAUserNetworkOnly() throws Exception {
    j("network", "create", "--subnet", "10.89.0.0/24", "dnsnet").ok();
    Run onBridge = j("run", "-d", "--network-alias", "x", "busybox", "true");
    assertThat(onBridge.code()).isEqualTo(125);
    assertThat(onBridge.err()).contains("network-scoped alias is supported only for containers in user defined networks");
    assertThat(j("run", "-d", "--ip", "172.17.0.9", "busybox", "true").err())
        .contains("user specified IP address is supported on user defined networks only");
    assertThat(j("run", "-d", "--network", "dnsnet", "--ip", "10.90.0.9", "busybox", "true").err())
        .contains("Invalid address 10.90.0.9: It does not belong to any of this network's subnets");

    String a = j("run", "-d", "--network", "dnsnet", "--name", "a", "--network-alias", "web", "--network-alias", "WWW",
        "--ip", "10.89.0.50", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String id12 = a.substring(0, 12);
    assertThat(inspectOf(a, "{{.NetworkSettings.Networks.dnsnet.IPAddress}} {{json .NetworkSettings.Networks.dnsnet"
        + ".Aliases}} {{json .NetworkSettings.Networks.dnsnet.DNSNames}} {{json .NetworkSettings.Networks.dnsnet"
        + ".IPAMConfig}}")).isEqualTo("10.89.0.50 [\"web\",\"WWW\"] [\"a\",\"web\",\"WWW\",\"" + id12
        + "\"] {\"IPv4Address\":\"10.89.0.50\"}");
    assertThat(j("run", "-d", "--network", "dnsnet", "--ip", "10.89.0.50", "busybox", "true").err())
        .contains("Address already in use");
    String c = j("run", "-d", "--name", "c", "busybox", "sleep", "100").ok().out().strip(); // the default bridge

    // By name, alias (any case) and short id; the default bridge's container is no name here; a
    // name not found is answered at once (single labels are never forwarded); other names go to the
    // container's --dns, here a resolver of the test's own on 127.0.0.2 that knows one name.
    Process resolver = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "python3", "-c", ONE_NAME_RESOLVER)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String found;
    try {
      found = j("run", "--rm", "--network", "dnsnet", "--dns", "127.0.0.2", "busybox", "sh", "-c",
          "cat /etc/resolv.conf; for i in $(seq 100); do wget -qO- http://web/index.html && break; sleep 0.1; done;"
              + " for n in a www " + id12 + " probe.test; do nslookup $n | grep -A1 \"^Name:\"; done; nslookup c;"
              + " echo c=$?").ok().out();
    } finally {
      resolver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(found).contains("Name:\tprobe.test\nAddress: 10.1.2.3");
    assertThat(found).startsWith("nameserver 10.89.0.1\noptions ndots:0\n")
        .contains("hello-from-" + id12 + "\n")
        .contains("Name:\ta\nAddress: 10.89.0.50").contains("Name:\twww\nAddress: 10.89.0.50")
        .contains("Name:\t" + id12 + "\nAddress: 10.89.0.50")
        .contains("c=1");
    // On the default bridge (gateway 172.17.0.1): the host's resolvers, no name server on the gateway.
    assertThat(j("exec", c, "sh", "-c", "cat /etc/resolv.conf; nslookup a 172.17.0.1; echo a=$?").ok().out())
        .doesNotContain("172.17.0.1\n").contains("a=1");
    assertThat(netnsTool("ss", "-uln")).contains("10.89.0.1:53").doesNotContain("172.17.0.1:53");

    // Its names go with the container; the server goes with the last name.
    String b = j("run", "-d", "--network", "dnsnet", "--name", "b", "busybox", "sleep", "100").ok().out().strip();
    j("rename", "a", "renamed").ok();
    assertThat(j("exec", b, "sh", "-c", "nslookup web; nslookup renamed; nslookup a; echo a=$?").ok().out())
        .contains("Name:\tweb\nAddress: 10.89.0.50").contains("Name:\trenamed\nAddress: 10.89.0.50").contains("a=1");
    j("rm", "-f", a).ok();
    assertThat(j("exec", b, "sh", "-c", "nslookup web; echo web=$?; nslookup b").ok().out())
        .contains("web=1").contains("Name:\tb\nAddress: 10.89.0.");
    assertThat(jocker.aardvarks()).hasSize(1);
    j("rm", "-f", b).ok();
    assertThat(jocker.aardvarks()).isEmpty();
    assertThat(netnsTool("ss", "-uln")).doesNotContain(":53 ");
  }

  @Test
  void namesResolveAfterTheJockerThatStartedTheServerWasKilled() throws Exception {
    j("network", "create", "dnsnet").ok();
    Process run = jockerProcess("run", "--network", "dnsnet", "--name", "a", "busybox", "sleep", "100")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Jocker.await("the container runs",
        () -> j("inspect", "-f", "{{.State.Status}}", "a").out().strip().equals("running"));
    run.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL of the jocker that started aardvark-dns
    assertThat(jocker.aardvarks()).hasSize(1);
    String ip = inspectOf("a", "{{.NetworkSettings.Networks.dnsnet.IPAddress}}");
    assertThat(j("run", "--rm", "--network", "dnsnet", "busybox", "nslookup", "a").ok().out()).contains(ip);

    // The container and its monitor killed (no exit command): the next command's repair takes its
    // names away, and the server with them.
    int pid = Integer.parseInt(inspectOf("a", "{{.State.Pid}}"));
    long monitor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    tool("kill", "-9", String.valueOf(monitor), String.valueOf(pid));
    Jocker.await("the container is gone", () -> !inspectOf("a", "{{.State.Status}}").equals("running"));
    j("ps", "-a").ok();
    assertThat(jocker.aardvarks()).isEmpty();
  }

  @Test
  void namesResolveWhereTheHostsInputPolicyDrops() {
    // aardvark-dns listens on the gateway, in the host's namespace (here the test's): a host
    // firewall dropping INPUT would drop the containers' queries but for the network's own chain.
    netnsTool("iptables", "-P", "INPUT", "DROP");
    String id = j("network", "create", "--subnet", "10.89.3.0/24", "dropnet").ok().out().strip();
    String chain = "JOCKER-IN-" + id.substring(0, 12);
    j("run", "-d", "--network", "dropnet", "--name", "a", "busybox", "sleep", "100").ok();
    assertThat(j("run", "--rm", "--network", "dropnet", "busybox", "nslookup", "a").ok().out()).contains("Name:\ta\nAddress: 10.89.3.");
    assertThat(netnsTool("iptables-save", "-t", "filter")).contains("-A INPUT -j " + chain)
        .contains("-A " + chain + " -d 10.89.3.1/32 -i br-" + id.substring(0, 12) + " -p udp -m udp --dport 53 -j ACCEPT");
    j("rm", "-f", "a").ok();
    j("network", "rm", "dropnet").ok();
    assertThat(netnsTool("iptables-save", "-t", "filter")).doesNotContain(chain);
  }

  @Test
  void connectAndDisconnectARunningOrStoppedContainer() throws Exception {
    j("network", "create", "--subnet", "10.89.1.0/24", "front").ok();
    j("network", "create", "--subnet", "10.89.2.0/24", "back").ok();
    String web = j("run", "-d", "--network", "front", "--name", "web", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String db = j("run", "-d", "--network", "back", "--name", "db", "busybox", "sleep", "100").ok().out().strip();

    j("network", "connect", "--alias", "api", "back", "web").ok();
    assertThat(inspectOf(web, "{{.NetworkSettings.Networks.front.IPAddress}} {{.NetworkSettings.Networks.back"
        + ".IPAddress}} {{json .NetworkSettings.Networks.back.Aliases}}")).matches("10\\.89\\.1\\.\\d+ 10\\.89\\.2\\.\\d+ \\[\"api\"\\]");
    // /etc/hosts, bind-mounted into the running container, has a line for each network, as Docker's.
    assertThat(j("exec", web, "cat", "/etc/hosts").ok().out()).endsWith(inspectOf(web, "{{.NetworkSettings.Networks"
        + ".front.IPAddress}}\t{{.Config.Hostname}}\n{{.NetworkSettings.Networks.back.IPAddress}}\t{{.Config.Hostname}}") + "\n");
    assertThat(j("exec", web, "sh", "-c", "ip -o -4 addr; ip route").ok().out())
        .contains("eth1    inet 10.89.2.").contains("default via 10.89.1.1 dev eth0").doesNotContain("default via 10.89.2");
    assertThat(j("exec", db, "sh", "-c", "for i in $(seq 50); do wget -qO- http://api/index.html && break; sleep 0.1;"
        + " done").ok().out()).isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
    Run again = j("network", "connect", "back", "web");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("endpoint with name web already exists in network back");
    assertThat(j("network", "connect", "host", "web").err())
        .contains("container cannot be disconnected from host network or connected to host network");

    j("network", "disconnect", "back", "web").ok();
    assertThat(j("exec", db, "sh", "-c", "nslookup web; echo web=$?").ok().out()).contains("web=1");
    assertThat(j("exec", web, "ip", "-o", "link").ok().out()).doesNotContain("eth1");
    assertThat(j("exec", web, "cat", "/etc/hosts").ok().out()).endsWith("ff02::2\tip6-allrouters\n"
        + inspectOf(web, "{{.NetworkSettings.Networks.front.IPAddress}}\t{{.Config.Hostname}}") + "\n");
    assertThat(inspectOf(web, "{{len .NetworkSettings.Networks}}")).isEqualTo("1");
    assertThat(j("network", "disconnect", "back", "web").err())
        .contains("container " + web + " is not connected to the network back");

    // A container on the default bridge connected to a user-defined network resolves its names:
    // its resolv.conf now names that network's DNS server (Docker's switches to its embedded DNS).
    String solo = j("run", "-d", "--name", "solo", "busybox", "sleep", "100").ok().out().strip();
    j("network", "connect", "front", solo).ok();
    assertThat(j("exec", solo, "sh", "-c", "head -1 /etc/resolv.conf; nslookup web").ok().out())
        .startsWith("nameserver 10.89.1.1\n").contains("Name:\tweb\nAddress: 10.89.1.");

    // A stopped container is connected at its next start.
    j("create", "--network", "front", "--name", "later", "busybox", "sleep", "100").ok();
    j("network", "connect", "--ip", "10.89.2.77", "back", "later").ok();
    j("start", "later").ok();
    assertThat(j("exec", db, "nslookup", "later").ok().out()).contains("Name:\tlater\nAddress: 10.89.2.77");
  }

  @Test
  void dnsOptionsAndExtraHostsAreWrittenAsDockerWritesThem() {
    String c = j("run", "-d", "--hostname", "web", "--domainname", "example.org", "--dns", "10.0.0.53",
        "--dns-search", "a.example", "--dns-option", "ndots:2", "--add-host", "db:10.1.2.3",
        "--add-host", "gw=host-gateway", "busybox", "sleep", "100").ok().out().strip();
    // One exec and one inspect for all of it: each jocker command is a JVM start.
    List<String> seen = List.of(j("exec", c, "sh", "-c", "cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---;"
        + " cat /proc/sys/kernel/domainname; ping -c 1 -W 2 gw > /dev/null && echo gw-answers").ok().out()
        .split("---\n"));
    assertThat(seen.get(0)).isEqualTo("search a.example\nnameserver 10.0.0.53\noptions ndots:2\n");
    String[] inspected = inspectOf(c, "{{.NetworkSettings.IPAddress}}|{{.Config.Domainname}} {{json .HostConfig.Dns}}"
        + " {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}").split("\\|");
    String ip = inspected[0];
    assertThat(seen.get(1))
        .endsWith("ff02::2\tip6-allrouters\n10.1.2.3\tdb\n172.17.0.1\tgw\n" + ip + "\tweb.example.org web\n");
    // The domain name is the UTS namespace's; host-gateway is the bridge's own address, in the test's namespace.
    assertThat(seen.get(2)).isEqualTo("example.org\ngw-answers\n");
    assertThat(inspected[1])
        .isEqualTo("example.org [\"10.0.0.53\"] [\"a.example\"] [\"ndots:2\"] [\"db:10.1.2.3\",\"gw:host-gateway\"]");

    Run bad = j("run", "--rm", "--add-host", "db:db.example", "busybox", "true");
    assertThat(bad.code()).isEqualTo(125);
    assertThat(bad.err()).contains("invalid argument \"db:db.example\" for \"--add-host\" flag: invalid IP address"
        + " in add-host: \"db.example\"");
  }

  @Test
  void networksAreIsolatedFromEachOtherAndAnInternalOneHasNoWayOut() throws Exception {
    uplink();
    j("network", "create", "--subnet", "10.99.0.0/16", "--ip-range", "10.99.5.0/24", "--label", "team=a",
        "-o", "com.docker.network.bridge.name=jtbr0", "neta").ok();
    String netb = "br-" + j("network", "create", "netb").ok().out().strip().substring(0, 12);
    j("network", "create", "--internal", "inner").ok();
    assertThat(j("network", "inspect", "-f", "{{.Name}} {{.Internal}} {{json .Labels}}"
        + " {{index .Options \"com.docker.network.bridge.name\"}}", "neta", "inner").ok().out())
        .startsWith("neta false {\"team\":\"a\"} jtbr0\ninner true {} br-");
    String a1 = j("run", "-d", "--network", "neta", "busybox", "sleep", "100").ok().out().strip();
    String a2 = j("run", "-d", "--network", "neta", "busybox", "sleep", "100").ok().out().strip();
    String b1 = j("run", "-d", "--network", "netb", "busybox", "sleep", "100").ok().out().strip();
    String i1 = j("run", "-d", "--network", "inner", "--cap-add", "NET_ADMIN", "busybox", "sleep", "100")
        .ok().out().strip();
    List<String> addresses = j("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.Gateway}}{{end}}",
        a1, i1).ok().out().lines().toList();
    String ipA1 = addresses.get(0).split(" ")[0];
    assertThat(addresses.get(1)).as("no gateway on an internal network").endsWith(" ");
    String innerGateway = j("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "inner").ok().out().strip();
    assertThat(ipA1).as("from --ip-range").startsWith("10.99.5.");
    assertThat(netnsTool("ip", "-o", "link")).contains("jtbr0");

    assertThat(ping(a2, ipA1)).as("same network").isZero();
    assertThat(ping(b1, ipA1)).as("from another network").isNotZero();
    assertThat(ping(a1, UPLINK)).as("a normal network's way out").isZero();
    // Internal: no default route; and even with one of its own (the uplink routes back to it),
    // nothing leaves the network, for the uplink or another network.
    assertThat(j("exec", i1, "sh", "-c", "ip route | grep -q default && exit 10;"
        + " ping -c 1 -W 1 " + UPLINK + " && exit 11; ip route add default via " + innerGateway + " || exit 12;"
        + " ping -c 1 -W 1 " + UPLINK + " && exit 13; ping -c 1 -W 1 " + ipA1 + " && exit 14; exit 0").code())
        .isZero();

    assertThat(j("network", "prune", "-f").ok().out()).as("all in use").isEmpty();
    j("rm", "-f", a1, a2, b1, i1).ok();
    assertThat(j("network", "prune", "-f", "--filter", "label=team=a").ok().out())
        .isEqualTo("Deleted Networks:\nneta\n\n");
    // Rules left of a network that is gone (a start's sync racing with its removal could leave
    // them): the next command's repair rewrites the chains without them.
    assertThat(netnsTool("iptables-save")).contains("-o " + netb + " -j DROP");
    Files.delete(jocker.root().resolve("network/networks/netb.json"));
    j("ps").ok();
    assertThat(isolationRules()).doesNotContain(netb).contains("JOCKER-ISOLATION-STAGE-1 -i br-");
    assertThat(j("network", "prune", "-f").ok().out()).isEqualTo("Deleted Networks:\ninner\n\n");
    assertThat(netnsTool("iptables-save").lines().filter(l -> !l.contains(netb)))
        .noneMatch(l -> l.contains("br-") || l.contains("jtbr0"));
    tool("ip", "-n", netns, "link", "del", netb);
  }

  @Test
  void networkCreateRefusesWhatDockerRefuses() {
    assertThat(j("network", "create", "-d", "macvlan", "x").err()).contains("plugin \"macvlan\" not found");
    assertThat(j("network", "create", "-d", "host", "x").err()).contains("only one instance of \"host\" network is allowed");
    assertThat(j("network", "create", "--ip-range", "10.98.1.0/24", "x").err())
        .contains("no matching subnet for range 10.98.1.0/24");
    assertThat(j("network", "create", "--subnet", "10.98.0.0/16", "--ip-range", "10.97.1.0/24", "x").err())
        .contains("no matching subnet for range 10.97.1.0/24");
    String y = j("network", "create", "--label", "team=z", "-o", "com.docker.network.bridge.name=jtbr1", "y")
        .ok().out().strip();
    assertThat(j("network", "create", "-o", "com.docker.network.bridge.name=jtbr1", "x").err())
        .contains("networks have same bridge name");
    assertThat(j("network", "ls", "-q", "--filter", "label=team=z").ok().out()).isEqualTo(y.substring(0, 12) + "\n");
    assertThat(j("network", "ls", "--filter", "type=builtin").ok().out()).contains(" bridge ").contains(" host ")
        .contains(" none ").doesNotContain(" y ");
    j("network", "rm", "y").ok();
  }

  @Test
  void publishAllAndPortRanges() throws Exception {
    String base = j("create", "--network", "none", "busybox", "true").ok().out().strip();
    j("commit", "--change", "EXPOSE 80", "--change", "EXPOSE 82", base, "exposing").ok();
    // 80 and 81 from the range, 82 (exposed, not published by -p) from -P.
    // 84 takes 18092, so 85's host range gives it its next free port.
    String web = j("run", "-d", "-P", "-p", "127.0.0.1:18090-18091:80-81", "-p", "127.0.0.1:18092:84",
        "-p", "127.0.0.1:18092-18094:85", "exposing", "sh", "-c",
        "echo hello > /tmp/index.html; for p in 80 81 82; do httpd -p $p -h /tmp; done; exec sleep 100")
        .ok().out().strip();
    assertThat(fetchFromHostSide(18090)).isEqualTo("hello\n");
    assertThat(fetchFromHostSide(18091)).isEqualTo("hello\n");
    String ports = j("port", web).ok().out();
    assertThat(ports).contains("80/tcp -> 127.0.0.1:18090\n").contains("81/tcp -> 127.0.0.1:18091\n")
        .contains("85/tcp -> 127.0.0.1:18093\n");
    String ephemeral = j("port", web, "82").ok().out().strip();
    assertThat(ephemeral).startsWith("0.0.0.0:");
    assertThat(fetchFromHostSide(Integer.parseInt(ephemeral.substring("0.0.0.0:".length())))).isEqualTo("hello\n");
    assertThat(inspectOf(web, "{{.HostConfig.PublishAllPorts}} {{json .HostConfig.PortBindings}}")).isEqualTo(
        "true {\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18090\"}],"
            + "\"81/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18091\"}],"
            + "\"84/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18092\"}],"
            + "\"85/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18092-18094\"}]}");
    j("rm", "-f", web, base).ok();
    j("rmi", "exposing").ok();
  }

  @Test
  void containerModeJoinsAnotherContainersNamespace() {
    String web = j("run", "-d", "--name", "web", "--hostname", "webhost", "busybox", "sh", "-c", SERVE)
        .ok().out().strip();
    // The server answers on the joiner's own loopback, and the joiner has the other's address and files.
    String joined = j("run", "--rm", "--network", "container:web", "busybox", "sh", "-c",
        "for i in $(seq 100); do wget -qO- http://127.0.0.1/index.html && break; sleep 0.1; done;"
            + " hostname; ip -o -4 addr show eth0 | grep -o 'inet [0-9.]*'; tail -n 1 /etc/hosts").ok().out();
    String ip = inspectOf(web, "{{.NetworkSettings.IPAddress}}");
    assertThat(joined).isEqualTo("hello-from-webhost\nwebhost\ninet " + ip + "\n" + ip + "\twebhost\n");

    String idle = j("create", "--name", "idle", "busybox", "true").ok().out().strip();
    Run notRunning = j("run", "--rm", "--network", "container:idle", "busybox", "true");
    assertThat(notRunning.code()).isEqualTo(125);
    assertThat(notRunning.err()).contains("cannot join network of a non running container: " + idle);
    assertThat(j("run", "--rm", "--network", "container:nosuch", "busybox", "true").err())
        .contains("No such container: nosuch");
    Run ports = j("run", "--rm", "--network", "container:web", "-p", "80", "busybox", "true");
    assertThat(ports.code()).isEqualTo(125);
    assertThat(ports.err()).contains("conflicting options: port publishing and the container type network mode");
  }

  @Test
  void macAddressIsTheContainersInterfacesAndInspectShowsIt() {
    Run bad = j("run", "--rm", "--mac-address", "92:d0:c6:0a:29", "busybox", "true");
    assertThat(bad.code()).isEqualTo(125);
    assertThat(bad.err()).contains("92:d0:c6:0a:29 is not a valid mac address");
    Run host = j("run", "--rm", "--network", "host", "--mac-address", "92:d0:c6:0a:29:33", "busybox", "true");
    assertThat(host.code()).isEqualTo(125);
    assertThat(host.err()).contains("conflicting options: mac-address and the network mode");

    String c = j("run", "-d", "--mac-address", "92:D0:C6:0A:29:33", "busybox", "sleep", "100").ok().out().strip();
    // and Docker's default MTU, on eth0, the veth's host end and the bridge (the MTU test does the rest)
    assertThat(j("exec", c, "cat", "/sys/class/net/eth0/address", "/sys/class/net/eth0/mtu").ok().out())
        .isEqualTo("92:d0:c6:0a:29:33\n1500\n");
    assertThat(netnsTool("ip", "-o", "link").lines().filter(l -> l.contains(": veth") || l.contains(": jocker0:")))
        .hasSize(2).allMatch(l -> l.contains(" mtu 1500 "));
    String[] shown = inspectOf(c, "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}}"
        + " {{.NetworkSettings.IPAddress}}").split(" ");
    assertThat(shown[0]).isEqualTo("92:d0:c6:0a:29:33");
    assertThat(shown[1]).isEqualTo("92:d0:c6:0a:29:33");
    assertThat(j("network", "inspect", "-f", "{{range .Containers}}{{.MacAddress}}{{end}}"
        + " {{index .Options \"com.docker.network.driver.mtu\"}}", "bridge").ok().out())
        .isEqualTo("92:d0:c6:0a:29:33 1500\n");
    // The neighbours learn the address by ARP as for any other.
    assertThat(j("run", "--rm", "busybox", "ping", "-c", "1", "-W", "2", shown[2]).code()).isZero();
    j("stop", "-t", "0", c).ok();
    assertThat(inspectOf(c, "{{.NetworkSettings.Networks.bridge.MacAddress}}")).as("asked for, kept while stopped")
        .isEqualTo("92:d0:c6:0a:29:33");
  }

  @Test
  void networkMtuIsTheBridgesTheVethsAndTheContainers() {
    assertThat(j("network", "create", "-o", "com.docker.network.driver.mtu=abc", "x").err())
        .contains("failed to parse com.docker.network.driver.mtu value: abc");
    assertThat(j("network", "create", "-o", "com.docker.network.driver.mtu=-2", "x").err())
        .contains("invalid MTU number: -2");
    j("network", "create", "-o", "com.docker.network.driver.mtu=1400", "-o", "com.docker.network.bridge.name=jtbr2",
        "small").ok();
    String small = j("run", "-d", "--network", "small", "busybox", "sleep", "100").ok().out().strip();
    assertThat(j("exec", small, "cat", "/sys/class/net/eth0/mtu").ok().out()).isEqualTo("1400\n");
    // the bridge and the veth's host end (the default's 1500 is in the --mac-address test)
    assertThat(netnsTool("ip", "-o", "link").lines().filter(l -> l.contains("jtbr2")))
        .hasSize(2).allMatch(l -> l.contains(" mtu 1400 ")).anyMatch(l -> l.contains(": veth"));
    assertThat(j("network", "inspect", "-f", "{{index .Options \"com.docker.network.driver.mtu\"}}", "small")
        .ok().out()).isEqualTo("1400\n");
  }

  @Test
  void aPublishedPortIsReachedFromOtherContainersThroughTheGateway() throws Exception {
    String web = j("run", "-d", "--name", "web", "-p", "18091:80", "busybox", "sh", "-c", SERVE).ok().out().strip();
    String gateway = inspectOf(web, "{{.NetworkSettings.Gateway}}");
    // Another container, through the host's address on its bridge (DNAT, then masquerade so the
    // answer comes back the same way); and the host, on its loopback.
    String fetched = j("run", "--rm", "busybox", "sh", "-c", "for i in $(seq 100); do wget -qO- http://" + gateway
        + ":18091/index.html && exit 0; sleep 0.1; done; exit 1").ok().out();
    assertThat(fetched).isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
    assertThat(fetchFromHostSide(18091)).isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
    // and the container itself (hairpin)
    assertThat(j("exec", web, "wget", "-qO-", "http://" + gateway + ":18091/index.html").ok().out())
        .isEqualTo("hello-from-" + web.substring(0, 12) + "\n");
  }

  @Test
  void publishedPortsAnswerAgainAfterStopStartAndRestart() throws Exception {
    String web = j("run", "-d", "--name", "web", "-p", "127.0.0.1:18092:80", "-p", "81", "busybox", "sh", "-c",
        "echo hello > /tmp/index.html; httpd -p 81 -h /tmp; exec httpd -f -p 80 -h /tmp").ok().out().strip();
    int ephemeral = ephemeralPort(web, "81");
    assertThat(fetchFromHostSide(18092)).isEqualTo("hello\n");
    assertThat(fetchFromHostSide(ephemeral)).isEqualTo("hello\n");

    j("stop", "-t", "0", web).ok();
    j("start", web).ok();
    assertThat(j("port", web, "80").ok().out()).isEqualTo("127.0.0.1:18092\n");
    assertThat(fetchFromHostSide(18092)).isEqualTo("hello\n");
    // An ephemeral port is given back at stop and taken again at start, as Docker's ("might be
    // changed when restarting the container"): it answers wherever `port` says it is.
    assertThat(fetchFromHostSide(ephemeralPort(web, "81"))).isEqualTo("hello\n");

    j("restart", "-t", "0", web).ok();
    assertThat(j("port", web, "80").ok().out()).isEqualTo("127.0.0.1:18092\n");
    assertThat(fetchFromHostSide(18092)).isEqualTo("hello\n");
    assertThat(fetchFromHostSide(ephemeralPort(web, "81"))).isEqualTo("hello\n");
    assertThat(netnsTool("iptables-save").lines().filter(l -> l.contains("DNAT --to-destination")).count())
        .as("one DNAT rule per port, none left of the earlier runs").isEqualTo(2);
  }

  // --- helpers --------------------------------------------------------------------------------

  private static final String UPLINK = "192.0.2.1";

  /**
   * A fake uplink: a namespace of the test's own behind a veth (192.0.2.0/24, TEST-NET-1), the
   * default route of the test's namespace, with a route back to the containers' private subnets so
   * that only masquerade or a firewall rule decides whether a container's packet gets an answer.
   */
  private void uplink() {
    String up = netns + "-up";
    tool("ip", "netns", "add", up);
    otherNamespaces.add(up);
    tool("ip", "-n", netns, "link", "add", "jtup0", "type", "veth", "peer", "name", "jtup1", "netns", up);
    tool("ip", "-n", netns, "addr", "add", "192.0.2.2/24", "dev", "jtup0");
    tool("ip", "-n", netns, "link", "set", "jtup0", "up");
    tool("ip", "-n", up, "link", "set", "lo", "up");
    tool("ip", "-n", up, "addr", "add", UPLINK + "/24", "dev", "jtup1");
    tool("ip", "-n", up, "link", "set", "jtup1", "up");
    tool("ip", "-n", up, "route", "add", "10.0.0.0/8", "via", "192.0.2.2");
    tool("ip", "-n", up, "route", "add", "172.16.0.0/12", "via", "192.0.2.2");
    tool("ip", "-n", netns, "route", "add", "default", "via", UPLINK);
  }

  /** The host port `port CTR PORT` shows for an ephemeral binding (0.0.0.0:N). */
  private int ephemeralPort(String container, String port) {
    String mapped = j("port", container, port).ok().out().strip();
    assertThat(mapped).startsWith("0.0.0.0:");
    return Integer.parseInt(mapped.substring("0.0.0.0:".length()));
  }

  private String isolationRules() {
    return String.join("\n", netnsTool("iptables-save").lines().filter(l -> l.contains("JOCKER-ISOLATION")).toList());
  }

  private int ping(String container, String address) {
    return j("exec", container, "ping", "-c", "1", "-W", "1", address).code();
  }

  /**
   * No veth, no per-container rule (the network's own, for its whole subnet, stay with it), no
   * address held, no namespace mounted.
   */
  private void assertNothingOfContainersLeft() {
    assertThat(netnsTool("ip", "-o", "link")).doesNotContain("veth");
    String rules = netnsTool("iptables-save");
    assertThat(rules).doesNotContainPattern("-[sd] 172\\.17\\.0\\.[1-9]").doesNotContain("DNAT --to");
    Path network = jocker.root().resolve("network");
    assertThat(Jocker.children(network.resolve("endpoints"))).isEmpty();
    assertThat(Jocker.children(network.resolve("netns"))).isEmpty();
    assertThat(Jocker.children(network.resolve("ipam/bridge")))
        .allMatch(f -> f.equals("lock") || f.equals("rules") || f.startsWith("last_reserved_ip"));
  }

  /** curl from the test namespace's host side, retried until the server is up. */
  private String fetchFromHostSide(int port) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      Process p = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "curl", "-sf", "-m", "2",
          "http://127.0.0.1:" + port + "/index.html").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return out;
      }
      assertThat(System.nanoTime()).as("port " + port + " answers").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private String inspectOf(String container, String format) {
    return j("inspect", "-f", format, container).ok().out().strip();
  }

  private ProcessBuilder jockerProcess(String... args) {
    return jocker.processIn(List.of("nsenter", "--net=/run/netns/" + netns), args);
  }

  /** A result that can assert success. */
  private record Run(Jocker.Result result, String[] args) {
    Jocker.Result ok() {
      assertThat(result.code()).as("jocker %s: %s%s", String.join(" ", args), result.err(), result.out()).isZero();
      return result;
    }

    int code() {
      return result.code();
    }

    String out() {
      return result.out();
    }

    String err() {
      return result.err();
    }
  }

  /**
   * `jocker ARGS` through the test's resident engine, which runs in the test's namespace (so the
   * containers' networks are the namespace's), by the native client as users run it.
   */
  private Run j(String... args) {
    return new Run(engine.run(args), args);
  }

  private String netnsTool(String... command) {
    return namespace.run(command);
  }

  private String tool(String... command) {
    return Jocker.tool(tmp, command);
  }

}
