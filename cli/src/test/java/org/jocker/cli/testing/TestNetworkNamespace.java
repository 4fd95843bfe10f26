package org.jocker.cli.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of a test's own ({@code ip netns add jocker-test-XXXXXXXX}, lo up): an engine
 * started in it makes its bridges and rules there, never in the host's namespace. Closing deletes
 * it, and with it every interface and rule made in it.
 */
public final class TestNetworkNamespace implements AutoCloseable {
  private final String name;
  private final Path dir;

  private TestNetworkNamespace(String name, Path dir) {
    this.name = name;
    this.dir = dir;
  }

  /** A new namespace; {@code dir} is where its tools run. */
  public static TestNetworkNamespace create(Path dir) {
    TestNetworkNamespace ns = new TestNetworkNamespace("jocker-test-" + UUID.randomUUID().toString().substring(0, 8),
        dir);
    Jocker.tool(dir, "ip", "netns", "add", ns.name);
    Jocker.tool(dir, "ip", "-n", ns.name, "link", "set", "lo", "up");
    return ns;
  }

  public String name() {
    return name;
  }

  /** What runs a command in it: {@code nsenter --net=...}. */
  public List<String> enter() {
    return List.of("nsenter", "--net=/run/netns/" + name);
  }

  /** A tool run in it ({@code ip netns exec}), its output; it must succeed. */
  public String run(String... command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(command));
    return Jocker.tool(dir, all.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("ip", "netns", "del", name).start().waitFor(30, TimeUnit.SECONDS);
  }
}
