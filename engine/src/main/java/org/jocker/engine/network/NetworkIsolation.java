package org.jocker.engine.network;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;

/**
 * Docker's DOCKER-ISOLATION rules for the engine's bridges, as iptables chains of our own in the
 * filter table: traffic from one bridge into another is dropped (stage 1 sends what leaves a bridge
 * for another interface to stage 2, which drops it if that interface is another of our bridges),
 * and an internal network's bridge lets nothing out or in but its own traffic. The chains are
 * wholly derived from the networks on disk and rewritten in one iptables-restore (a declared chain
 * is flushed first), so a rule of a network that is gone never survives the next sync, whatever
 * crash left it; the rules last written are kept in a file, so the repair after a crash is a file
 * read when nothing changed. The FORWARD jump is kept first, before the networks' own
 * ({@link NetworkRules}: they accept a bridge's traffic).
 */
final class NetworkIsolation {
  static final String STAGE_1 = "JOCKER-ISOLATION-STAGE-1";
  static final String STAGE_2 = "JOCKER-ISOLATION-STAGE-2";
  private static final String JUMP = "-A FORWARD -j " + STAGE_1;
  private final Path written;

  /** @param written where the chains' rules last written are kept (none: this root never wrote any) */
  NetworkIsolation(Path written) {
    this.written = written;
  }

  /** Makes the chains hold exactly the rules of these networks. */
  void sync(List<BridgeNetwork> networks) {
    String forward = run(null, "iptables", "-w", "-S", "FORWARD");
    run(rules(networks, forward), "iptables-restore", "-w", "--noflush");
    try {
      Files.createDirectories(written.getParent());
      Durable.write(written, chains(networks).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + written, e);
    }
  }

  /** {@link #sync} where this root ever wrote rules (a root that never ran a bridge container has none). */
  void syncIfWritten(List<BridgeNetwork> networks) {
    if (Files.exists(written)) {
      sync(networks);
    }
  }

  /**
   * The repair after a crash between a network's change and its rules' (cheap: a file read): the
   * chains are written again if they no longer match the networks on disk.
   */
  void repair(List<BridgeNetwork> networks) {
    try {
      if (Files.exists(written) && !Files.readString(written).equals(chains(networks))) {
        sync(networks);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + written, e);
    }
  }

  /** The iptables-restore input, given the FORWARD chain as `iptables -S FORWARD` shows it. */
  static String rules(List<BridgeNetwork> networks, String forward) {
    StringBuilder r = new StringBuilder("*filter\n:" + STAGE_1 + " - [0:0]\n:" + STAGE_2 + " - [0:0]\n");
    r.append(chains(networks));
    List<String> rules = forward.lines().filter(l -> l.startsWith("-A FORWARD")).toList();
    long jumps = rules.stream().filter(JUMP::equals).count();
    if (rules.isEmpty() || !rules.get(0).equals(JUMP) || jumps > 1) {
      for (long i = 0; i < jumps; i++) {
        r.append("-D FORWARD -j ").append(STAGE_1).append('\n');
      }
      r.append("-I FORWARD 1 -j ").append(STAGE_1).append('\n');
    }
    return r.append("COMMIT\n").toString();
  }

  /** The two chains' rules for these networks. */
  private static String chains(List<BridgeNetwork> networks) {
    StringBuilder r = new StringBuilder();
    for (BridgeNetwork n : networks) {
      if (n.internal()) {
        r.append("-A ").append(STAGE_1).append(" -i ").append(n.bridge()).append(" ! -o ").append(n.bridge())
            .append(" -j DROP\n");
        r.append("-A ").append(STAGE_1).append(" -o ").append(n.bridge()).append(" ! -i ").append(n.bridge())
            .append(" -j DROP\n");
      }
    }
    for (BridgeNetwork n : networks) {
      r.append("-A ").append(STAGE_1).append(" -i ").append(n.bridge()).append(" ! -o ").append(n.bridge())
          .append(" -j ").append(STAGE_2).append('\n');
      r.append("-A ").append(STAGE_2).append(" -o ").append(n.bridge()).append(" -j DROP\n");
    }
    return r.toString();
  }

  /** The tool's path: a restart's exit command may run without a PATH that has the sbin directories. */
  private static String sbin(String tool) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return dir + "/" + tool;
      }
    }
    return tool;
  }

  private static String run(String input, String... command) {
    try {
      command[0] = sbin(command[0]);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw EngineException.internal("failed to set up the isolation between networks: " + command[0] + ": "
            + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw EngineException.internal(e, "failed to set up the isolation between networks: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
