package org.jocker.cli.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.cli.format.Table;
import org.jocker.engine.Engine;
import org.jocker.engine.volume.VolumeManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "df", description = "Show disk usage: images (blobs and layers) and containers.")
public final class DfCommand implements Callable<Integer> {
  @ParentCommand SystemCommand system;
  @Option(names = "--format", description = "Format output with a Go template.") String format;

  private static final Table TABLE = new Table(new LinkedHashMap<>() {
    {
      put("Type", "TYPE");
      put("TotalCount", "TOTAL");
      put("Active", "ACTIVE");
      put("Size", "SIZE");
      put("Reclaimable", "RECLAIMABLE");
    }
  });

  @Override
  public Integer call() {
    JockerCommand jocker = system.jocker();
    return EngineErrors.handled(jocker, () -> {
      Engine.DiskUsage du = jocker.engine().diskUsage();
      List<Map<String, Object>> rows = new ArrayList<>();
      rows.add(row("Images", du.images().images(), du.images().active(), du.images().bytes(), du.images().reclaimable()));
      rows.add(row("Containers", du.containers(), du.running(), du.containerBytes(), du.reclaimableContainerBytes()));
      VolumeManager.DiskUsage volumes = jocker.engine().volumes().diskUsage();
      rows.add(row("Local Volumes", volumes.volumes(), volumes.active(), volumes.bytes(), volumes.reclaimable()));
      rows.add(row("Build Cache", 0, 0, 0, 0));
      TABLE.print(rows, format, System.out);
      return 0;
    });
  }

  private static Map<String, Object> row(String type, int total, int active, long size, long reclaimable) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Type", type);
    r.put("TotalCount", total);
    r.put("Active", active);
    r.put("Size", HumanUnits.size(size));
    int percent = size == 0 ? 0 : (int) (reclaimable * 100 / size);
    r.put("Reclaimable", HumanUnits.size(reclaimable) + " (" + percent + "%)");
    return r;
  }
}
