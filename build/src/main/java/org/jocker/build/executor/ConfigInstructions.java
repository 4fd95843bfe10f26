package org.jocker.build.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.build.dockerfile.CommandLine;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.images.manifest.ImageConfig;

/**
 * The instructions that change only the image config (and add an {@code empty_layer} history
 * entry): CMD, ENTRYPOINT, LABEL, EXPOSE, USER, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD,
 * MAINTAINER; ENV and ARG change the stage's variables too. Instructions come expanded.
 */
final class ConfigInstructions {
  private ConfigInstructions() {}

  static void apply(StageState state, Instruction instruction) {
    ImageSettings s = state.settings;
    String createdBy = switch (instruction) {
      case Instruction.Cmd cmd -> {
        s.cmd = command(cmd.command(), s);
        state.cmdSet = true;
        yield "CMD " + HistoryText.quotedList(s.cmd);
      }
      case Instruction.Entrypoint ep -> {
        s.entrypoint = command(ep.command(), s);
        if (!state.cmdSet) {
          s.cmd = null; // Docker: an ENTRYPOINT clears the CMD the base image had
        }
        yield "ENTRYPOINT " + HistoryText.quotedList(s.entrypoint);
      }
      case Instruction.Label label -> {
        List<String> pairs = new ArrayList<>();
        for (Instruction.KeyValue kv : label.pairs()) {
          s.labels.put(kv.key(), kv.value());
          pairs.add(kv.key() + "=" + kv.value());
        }
        yield "LABEL " + String.join(" ", pairs);
      }
      case Instruction.Expose expose -> {
        List<String> ports = new ArrayList<>();
        for (String port : expose.ports()) {
          for (String p : ports(port)) {
            s.exposedPorts.put(p, Map.of());
            ports.add(p);
          }
        }
        yield "EXPOSE " + String.join(" ", ports);
      }
      case Instruction.User user -> {
        s.user = user.user();
        yield "USER " + user.user();
      }
      case Instruction.Volume volume -> {
        volume.paths().forEach(p -> s.volumes.put(p, Map.of()));
        yield "VOLUME " + HistoryText.plainList(volume.paths());
      }
      case Instruction.StopSignal signal -> {
        s.stopSignal = signal.signal();
        yield "STOPSIGNAL " + signal.signal();
      }
      case Instruction.Healthcheck h -> {
        s.healthcheck = new ImageConfig.HealthConfig(h.test(), nanos(h.interval()), nanos(h.timeout()),
            nanos(h.startPeriod()), nanos(h.startInterval()), h.retries() == 0 ? null : h.retries());
        yield "HEALTHCHECK " + HistoryText.quotedList(h.test());
      }
      case Instruction.Shell shell -> {
        s.shell = shell.command();
        yield "SHELL " + HistoryText.plainList(shell.command());
      }
      case Instruction.OnBuild onBuild -> {
        s.onBuild.add(onBuild.triggerText());
        yield "ONBUILD " + onBuild.triggerText();
      }
      case Instruction.Maintainer m -> "MAINTAINER " + m.name();
      default -> throw new IllegalArgumentException("not a config instruction: " + instruction);
    };
    s.history.add(BuildSession.history(createdBy, true, state.entryTime()));
  }

  /** The shell form runs under the stage's SHELL, as Docker stores it. */
  private static List<String> command(CommandLine line, ImageSettings s) {
    return switch (line) {
      case CommandLine.ExecForm(List<String> args) -> args;
      case CommandLine.ShellForm(String script) -> {
        List<String> args = new ArrayList<>(s.shell == null ? RunStep.DEFAULT_SHELL : s.shell);
        args.add(script);
        yield args;
      }
    };
  }

  /** "80", "80/udp", "8000-8002/tcp" as ExposedPorts keys. */
  static List<String> ports(String spec) {
    int slash = spec.indexOf('/');
    String proto = slash < 0 ? "tcp" : spec.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
    String range = slash < 0 ? spec : spec.substring(0, slash);
    int dash = range.indexOf('-');
    if (dash < 0) {
      return List.of(range + "/" + proto);
    }
    List<String> out = new ArrayList<>();
    int first = Integer.parseInt(range.substring(0, dash));
    int last = Integer.parseInt(range.substring(dash + 1));
    for (int p = first; p <= last; p++) {
      out.add(p + "/" + proto);
    }
    return out;
  }

  private static Long nanos(Duration d) {
    return d == null || d.isZero() ? null : d.toNanos();
  }
}
