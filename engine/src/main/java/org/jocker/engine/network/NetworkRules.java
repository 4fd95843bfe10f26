package org.jocker.engine.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bridge network's packet filter rules, made once with the network's Linux bridge rather than
 * per container (Docker's and netavark's way): a chain of the network's own in filter (lets the
 * bridge's traffic through FORWARD, whatever its policy: out from the bridge, and in for
 * connections it opened and for those a published port's DNAT sends it) and one in nat
 * (masquerades what leaves the subnet by another interface), each jumped to from the built-in chain.
 * A user-defined network has a third, in filter's INPUT: its DNS server (aardvark-dns) listens on
 * the gateway, in the host's namespace, where Docker's embedded one is in the container's, so on a
 * host whose INPUT policy drops, the containers' queries need letting in. One iptables-save to
 * see what exists and one iptables-restore to change it: two processes per network, none per
 * container.
 */
final class NetworkRules {
  /** iptables is looked up by name: the exit command's environment may have no PATH. */
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** Docker's bridge driver option that turns outbound masquerade off. */
  static final String MASQUERADE_OPTION = "com.docker.network.bridge.enable_ip_masquerade";

  private NetworkRules() {}

  /** Makes (or makes again, flushed and refilled) the network's chains and the jumps to them. */
  static void install(BridgeNetwork network) {
    String existing = run(List.of("iptables-save"), null);
    String forward = forwardChain(network);
    String nat = natChain(network);
    String br = network.bridge();
    StringBuilder batch = new StringBuilder("*filter\n:").append(forward).append(" - [0:0]\n")
        .append("-A ").append(forward).append(" -o ").append(br)
        .append(" -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT\n")
        .append("-A ").append(forward).append(" -i ").append(br).append(" -j ACCEPT\n");
    if (!jumps(existing, "FORWARD", forward)) {
      batch.append("-I FORWARD -j ").append(forward).append('\n');
    }
    if (servesNames(network)) {
      String input = inputChain(network);
      batch.append(':').append(input).append(" - [0:0]\n");
      for (String protocol : List.of("udp", "tcp")) {
        batch.append("-A ").append(input).append(" -i ").append(br).append(" -d ").append(network.gateway())
            .append(" -p ").append(protocol).append(" --dport 53 -j ACCEPT\n");
      }
      if (!jumps(existing, "INPUT", input)) {
        batch.append("-I INPUT -j ").append(input).append('\n');
      }
    }
    batch.append("COMMIT\n*nat\n:").append(nat).append(" - [0:0]\n");
    if (masquerades(network)) {
      batch.append("-A ").append(nat).append(" -s ").append(network.subnet()).append(" ! -o ").append(br)
          .append(" -j MASQUERADE\n");
    }
    if (!jumps(existing, "POSTROUTING", nat)) {
      batch.append("-A POSTROUTING -j ").append(nat).append('\n');
    }
    batch.append("COMMIT\n");
    run(List.of("iptables-restore", "--noflush", "--wait"), batch.toString());
  }

  /** Removes the network's chains and every jump to them; a network without any is fine. */
  static void remove(BridgeNetwork network) {
    String existing = run(List.of("iptables-save"), null);
    StringBuilder batch = new StringBuilder();
    for (Map.Entry<String, Map<String, String>> table : Map.of(
        "filter", Map.of("FORWARD", forwardChain(network), "INPUT", inputChain(network)),
        "nat", Map.of("POSTROUTING", natChain(network))).entrySet()) {
      StringBuilder changes = new StringBuilder();
      table.getValue().forEach((from, chain) -> {
        if (existing.contains(":" + chain + " ")) {
          if (jumps(existing, from, chain)) {
            changes.append("-D ").append(from).append(" -j ").append(chain).append('\n');
          }
          changes.append("-F ").append(chain).append("\n-X ").append(chain).append('\n');
        }
      });
      if (!changes.isEmpty()) {
        batch.append('*').append(table.getKey()).append('\n').append(changes).append("COMMIT\n");
      }
    }
    if (!batch.isEmpty()) {
      run(List.of("iptables-restore", "--noflush", "--wait"), batch.toString());
    }
  }

  /** No masquerade for an internal network, nor with Docker's enable_ip_masquerade=false. */
  private static boolean masquerades(BridgeNetwork network) {
    return !network.internal() && !"false".equals(network.options().get(MASQUERADE_OPTION));
  }

  /** A user-defined network's names are served by aardvark-dns; the default bridge has none, as Docker's. */
  private static boolean servesNames(BridgeNetwork network) {
    return !network.name().equals(BridgeNetwork.NAME);
  }

  static String inputChain(BridgeNetwork network) {
    return "JOCKER-IN-" + network.id().substring(0, 12);
  }

  static String forwardChain(BridgeNetwork network) {
    return "JOCKER-FWD-" + network.id().substring(0, 12);
  }

  static String natChain(BridgeNetwork network) {
    return "JOCKER-NAT-" + network.id().substring(0, 12);
  }

  private static boolean jumps(String saved, String from, String chain) {
    return saved.lines().anyMatch(l -> l.equals("-A " + from + " -j " + chain));
  }

  private static String run(List<String> command, String input) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putIfAbsent("PATH", PATH);
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out;
      try (InputStream o = p.getInputStream()) {
        out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed: "
            + out.strip().lines().findFirst().orElse("exit code " + p.exitValue())));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }
}
