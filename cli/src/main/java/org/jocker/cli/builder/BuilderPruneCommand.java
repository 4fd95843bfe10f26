package org.jocker.cli.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.BuildCacheLines;
import org.jocker.cli.format.HumanUnits;
import org.jocker.images.BuildCachePruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove build cache.")
public final class BuilderPruneCommand implements Callable<Integer> {
  @ParentCommand BuilderCommand builder;
  @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones.") boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;
  @Option(names = "--filter", description = "Provide filter values (e.g. \"until=24h\").") List<String> filters = new ArrayList<>();
  @Option(names = "--keep-storage", description = "Amount of disk space to keep for cache.") String keepStorage;

  @Override
  public Integer call() {
    JockerCommand jocker = builder.jocker();
    return EngineErrors.handled(jocker, () -> {
      // A killed build's working snapshots sit on cached layers: gone first, they free them too.
      jocker.engine().buildContainers().removeLeftovers();
      BuildCachePruner.Report report = jocker.engine().imageManager()
          .pruneBuildCache(BuildCachePruneRequest.of(all, filters, keepStorage));
      BuildCacheLines.printDeleted(report, System.out);
      System.out.println("Total reclaimed space: " + HumanUnits.size(report.bytesFreed()));
      return 0;
    });
  }
}
