package org.jocker.cli.container;

import java.math.BigDecimal;
import java.math.MathContext;
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
import org.jocker.engine.ContainerStats;
import org.jocker.engine.ContainerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `stats --no-stream`: one frame of Docker's table, CPU % measured over half a second. */
@Command(name = "stats", description = "Display a snapshot of containers' resource usage (--no-stream).")
public final class StatsCommand implements Callable<Integer> {
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  @ParentCommand Object parent;
  @Parameters(paramLabel = "CONTAINER") List<String> containers = new ArrayList<>();
  @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).") boolean all;
  @Option(names = "--no-stream", description = "Print one frame and exit (the only mode yet).") boolean noStream;
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
    return EngineErrors.handled(jocker, () -> {
      List<String> wanted = new ArrayList<>(containers);
      if (wanted.isEmpty()) {
        for (ContainerView c : jocker.engine().list(all)) {
          wanted.add(c.id());
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ContainerStats s : jocker.engine().operations().stats(wanted, 500)) {
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
      TABLE.print(rows, "json".equals(format) ? "{{json .}}" : format, System.out);
      return 0;
    });
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
