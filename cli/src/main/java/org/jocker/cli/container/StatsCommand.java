package org.jocker.cli.container;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.cli.format.Table;
import org.jocker.cli.session.Session;
import org.jocker.engine.operations.ContainerStats;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `stats`: Docker's table of CPU %, memory and pids, refreshed every second (on a terminal drawn
 * over the last one, otherwise one table after another) until interrupted or until the containers
 * it was given are gone; `--no-stream` prints one frame, CPU % measured over half a second.
 */
@Command(name = "stats", description = "Display a live stream of containers' resource usage statistics.")
public final class StatsCommand implements Callable<Integer> {
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  @ParentCommand Object parent;
  @Parameters(paramLabel = "CONTAINER") List<String> containers = new ArrayList<>();
  @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).") boolean all;
  @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result.") boolean noStream;
  @Option(names = "--no-trunc", description = "Don't truncate output.") boolean noTrunc;
  @Option(names = "--format", description = "Format output with a Go template (or \"table\", \"json\").") String format;

  private static final Table TABLE = new Table(new LinkedHashMap<>() {
    {
      put("ID", "CONTAINER ID");
      put("Name", "NAME");
      put("CPUPerc", "CPU %");
      put("MemUsage", "MEM USAGE / LIMIT");
      put("MemPerc", "MEM %");
      put("NetIO", "NET I/O");
      put("BlockIO", "BLOCK I/O");
      put("PIDs", "PIDS");
    }
  });

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      boolean terminal = isTerminal(Session.current().stdout());
      // The first frame fails on an unknown container; later ones drop the containers that are gone.
      print(frame(jocker, wanted(jocker, false), noStream ? 500 : 1000), !noStream && terminal);
      while (!noStream) {
        List<String> wanted = wanted(jocker, true);
        if (wanted.isEmpty() && !containers.isEmpty()) {
          return 0; // every container listed was removed
        }
        List<Map<String, Object>> rows;
        try {
          rows = frame(jocker, wanted, 1000);
        } catch (EngineException e) {
          continue; // one was removed during the frame
        }
        print(rows, terminal);
      }
      return 0;
    });
  }

  /** The containers named (those that still exist, once streaming), or those running (or all with -a). */
  private List<String> wanted(JockerCommand jocker, boolean existingOnly) {
    if (containers.isEmpty()) {
      return jocker.engine().list(all).stream().map(ContainerView::id).toList();
    }
    if (!existingOnly) {
      return containers;
    }
    List<String> out = new ArrayList<>();
    for (String c : containers) {
      try {
        out.add(jocker.engine().find(c).id());
      } catch (EngineException e) {
        // removed
      }
    }
    return out;
  }

  /** One table: CPU % measured over {@code intervalMillis}. */
  private List<Map<String, Object>> frame(JockerCommand jocker, List<String> wanted, long intervalMillis) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ContainerStats s : jocker.engine().operations().stats(wanted, intervalMillis)) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ID", noTrunc ? s.id() : s.id().substring(0, 12));
      row.put("Container", containers.isEmpty() ? (noTrunc ? s.id() : s.id().substring(0, 12)) : null);
      row.put("Name", s.name());
      row.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", s.cpuPercent()));
      row.put("MemUsage", binary(s.memoryUsage()) + " / " + binary(s.memoryLimit()));
      row.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", s.memoryPercent()));
      row.put("NetIO", HumanUnits.size(s.netRx()) + " / " + HumanUnits.size(s.netTx()));
      row.put("BlockIO", HumanUnits.size(s.blockRead()) + " / " + HumanUnits.size(s.blockWrite()));
      row.put("PIDs", Long.toString(s.pids()));
      rows.add(row);
    }
    rows.forEach(r -> {
      if (r.get("Container") == null) {
        r.put("Container", r.get("ID"));
      }
    });
    return rows;
  }

  /** A frame; on a terminal, as Docker, over the last one (clear the screen, cursor home). */
  private void print(List<Map<String, Object>> rows, boolean redraw) {
    if (redraw) {
      System.out.print("\033[2J\033[H");
    }
    TABLE.printList(rows, format, System.out);
    System.out.flush();
  }

  /** isatty: a descriptor open on a terminal (pts 136-143, tty and console 4-5) character device. */
  static boolean isTerminal(int fd) {
    try {
      Path p = Path.of("/proc/self/fd/" + fd);
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      long rdev = (Long) Files.getAttribute(p, "unix:rdev");
      long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
      return (mode & 0170000) == 0020000 && (major == 4 || major == 5 || (major >= 136 && major <= 143));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** go-units BytesSize: binary units, four significant digits. */
  static String binary(long bytes) {
    double v = bytes;
    int unit = 0;
    while (v >= 1024 && unit < BINARY.length - 1) {
      v /= 1024;
      unit++;
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString() + BINARY[unit];
  }
}
