package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.ResidentEngine;
import org.jocker.cli.testing.TestNetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network of a build's RUN steps ({@code build --network}, {@code RUN --network}) on the real
 * kernel, with the engine in a network namespace of the test's own (its default bridge and rules
 * are made there, never in the host's): the default bridge reaches a server at the bridge's
 * gateway and has the host's resolv.conf, none has only lo, host is the namespace's own; the
 * network is part of the RUN's cache key; a RUN's endpoint lives only for the RUN, survives
 * another command's repair while the build runs, and a killed build's is torn down.
 */
class BuildNetworkCliTest {
  private static final int PORT = 18090;
  @TempDir Path tmp;
  private Jocker jocker;
  private ResidentEngine engine;
  private TestNetworkNamespace namespace;
  private final List<Process> servers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    jocker = Jocker.networked(tmp.resolve("root"));
    namespace = TestNetworkNamespace.create(tmp);
    engine = ResidentEngine.startNetworked(namespace.enter(), tmp.resolve("engine"), tmp.resolve("root"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (String id : engine.run("ps", "-aq", "--no-trunc").out().lines().toList()) {
        engine.run("rm", "-f", id);
      }
      assertNothingOfRunsLeft();
      assertThat(jocker.mountsLeft()).isEmpty();
    } finally {
      servers.forEach(p -> {
        p.destroyForcibly();
        try {
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      engine.close();
      namespace.close();
    }
  }

  @Test
  void defaultIsTheBridgeWithTheHostsResolvConfAndAnEndpointOnlyForTheRun() throws Exception {
    serve("0.0.0.0", "from the test's namespace");
    Path context = context("""
        FROM busybox
        RUN ls /sys/class/net; cat /etc/resolv.conf /etc/hosts; \\
            wget -qO- http://$(ip route | awk '/^default/ {print $3}'):%d/index.html
        """.formatted(PORT));

    String out = engine.ok("build", "--progress=plain", "-t", "fetched", context.toString()).err();

    assertThat(out).contains(" eth0\n", " lo\n", " from the test's namespace\n")
        .contains(" nameserver ").doesNotContain("nameserver 127.")
        .containsPattern("172\\.1[7-9]\\.\\d+\\.\\d+\\s+buildkitsandbox");
    assertNothingOfRunsLeft();
    // The /etc files were only mount points: the RUN changed nothing, so it added no layer.
    assertThat(layers("fetched")).isEqualTo(layers("busybox"));
  }

  @Test
  void noneHasOnlyLoopbackAndHostHasTheNamespacesInterfacesAndLoopbackServers() throws Exception {
    tool("ip", "-n", namespace.name(), "link", "add", "jtpair0", "type", "veth", "peer", "name", "jtpair1");
    serve("127.0.0.1", "on the namespace's loopback");
    Path context = context("""
        FROM busybox
        RUN --network=none echo none: $(ls /sys/class/net)
        RUN --network=host echo host: $(ls /sys/class/net); wget -qO- http://127.0.0.1:%d/index.html
        RUN echo build: $(ls /sys/class/net)
        """.formatted(PORT));

    String out = engine.ok("build", "--progress=plain", "--network", "none", context.toString()).err();

    assertThat(out).contains(" none: lo\n", " build: lo\n", " on the namespace's loopback\n")
        .containsPattern(" host: .*jtpair0");
  }

  @Test
  void theNetworkIsPartOfTheRunsCacheKey() throws IOException {
    Path context = context("FROM busybox\nRUN echo networked > /f\n");

    String first = engine.ok("build", "--progress=plain", context.toString()).err();
    String again = engine.ok("build", "--progress=plain", "--network", "default", context.toString()).err();
    String none = engine.ok("build", "--progress=plain", "--network", "none", context.toString()).err();
    String noneAgain = engine.ok("build", "--progress=plain", "--network", "none", context.toString()).err();

    assertThat(first).doesNotContain("CACHED");
    assertThat(again).contains("CACHED");
    assertThat(none).doesNotContain("CACHED");
    assertThat(noneAgain).contains("CACHED");
  }

  @Test
  void anotherCommandsRepairLeavesARunningBuildsEndpoint() throws Exception {
    Path context = context("""
        FROM busybox
        RUN for i in $(seq 600); do \\
              wget -qO- http://$(ip route | awk '/^default/ {print $3}'):%d/index.html && exit 0; sleep 0.1; \\
            done; exit 1
        """.formatted(PORT));
    Path stderr = tmp.resolve("build.err");
    Process build = engine.client(Map.of(), List.of("build", "--progress=plain", context.toString()))
        .redirectError(stderr.toFile()).start();
    Jocker.await("the RUN's endpoint", () -> !Jocker.children(jocker.root().resolve("network/endpoints")).isEmpty());

    engine.ok("create", "busybox"); // repairs the endpoints of containers that do not run

    assertThat(Jocker.children(jocker.root().resolve("network/endpoints"))).hasSize(1);
    serve("0.0.0.0", "still connected");
    assertThat(build.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(build.exitValue()).as(Files.readString(stderr)).isZero();
    assertThat(Files.readString(stderr)).contains(" still connected\n");
  }

  @Test
  void aKilledBuildsEndpointIsTornDownByTheNextBuild() throws Exception {
    Path context = context("FROM busybox\nRUN echo started; sleep 4245\n");
    Process client = engine.client(Map.of(), List.of("build", "--progress=plain", context.toString()))
        .start();
    Jocker.await("the RUN's endpoint", () -> !Jocker.children(jocker.root().resolve("network/endpoints")).isEmpty()
        && netnsTool("ip", "-o", "link").contains("veth"));

    engine.kill(); // SIGKILL: nothing of the build tears its RUN down
    client.waitFor(30, TimeUnit.SECONDS);
    engine.start();
    engine.ok("build", "--progress=plain", context("FROM busybox\nRUN true\n").toString());

    assertNothingOfRunsLeft();
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("sleep 4245"))).as("the killed build's RUN").isEmpty();
  }

  @Test
  void aRunOnTheBridgeCostsLittleMoreThanOnNone() throws IOException {
    Path context = context("FROM busybox\n" + "RUN true\n".repeat(6));
    engine.ok("build", "--progress=plain", "--network", "none", context.toString()); // the base image, warmed
    long none = perRunMillis(context, "none");
    long bridge = perRunMillis(context, "default");
    System.out.printf("a RUN took %d ms on none, %d ms on the default bridge%n", none, bridge);
    assertThat(bridge - none).as("the bridge's cost per RUN, ms").isLessThan(500);
  }

  @Test
  void aNetworkBuildKitDoesNotKnowIsDockersError() throws IOException {
    Path context = context("FROM busybox\nRUN true\n");

    Jocker.Result r = engine.run("build", "--network", "bridge", context.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("ERROR: network mode \"bridge\" not supported by buildkit\n");
  }

  // --- helpers --------------------------------------------------------------------------------

  private String layers(String image) {
    return engine.ok("image", "inspect", "-f", "{{json .RootFS.Layers}}", image).out();
  }

  /** The mean time of the six RUNs of {@code context}, built without the cache on {@code network}. */
  private long perRunMillis(Path context, String network) {
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      engine.ok("build", "--no-cache", "--progress=plain", "--network", network, context.toString());
    }
    return (System.nanoTime() - start) / 1_000_000 / (3 * 6);
  }

  /** An HTTP server in the test's namespace on {@code address}:PORT serving index.html with {@code text}. */
  private void serve(String address, String text) throws Exception {
    Path www = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(www.resolve("index.html"), text + "\n");
    List<String> server = new ArrayList<>(namespace.enter());
    server.addAll(List.of("python3", "-m", "http.server", "--bind", address, "--directory", www.toString(),
        String.valueOf(PORT)));
    servers.add(new ProcessBuilder(server).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    Jocker.await("the server listens", () -> netnsTool("ss", "-ltn").contains(":" + PORT + " "));
  }

  /** No veth, no endpoint or namespace, no address held, no build sandbox. */
  private void assertNothingOfRunsLeft() {
    assertThat(netnsTool("ip", "-o", "link")).doesNotContain("veth");
    Path network = jocker.root().resolve("network");
    assertThat(Jocker.children(network.resolve("endpoints"))).isEmpty();
    assertThat(Jocker.children(network.resolve("netns"))).isEmpty();
    assertThat(Jocker.children(network.resolve("ipam/bridge")))
        .allMatch(f -> f.equals("lock") || f.equals("rules") || f.startsWith("last_reserved_ip"));
    assertThat(Jocker.children(jocker.root().resolve("builds"))).as("build sandboxes")
        .isSubsetOf(".lock"); // its lock stays
  }

  private Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context-" + UUID.randomUUID().toString().substring(0, 8)));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }

  private String netnsTool(String... command) {
    return namespace.run(command);
  }

  private String tool(String... command) {
    return Jocker.tool(tmp, command);
  }

}
