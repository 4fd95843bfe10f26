package org.jocker.cli.volume;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.volume.VolumeManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove unused local volumes (anonymous ones, or all with -a).")
public final class VolumePruneCommand implements Callable<Integer> {
  @ParentCommand VolumeCommand group;
  @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones.") boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      VolumeManager.PruneReport report = jocker.engine().volumes().prune(all);
      if (!report.deleted().isEmpty()) {
        System.out.println("Deleted Volumes:");
        report.deleted().forEach(System.out::println);
        System.out.println();
      }
      System.out.println("Total reclaimed space: " + HumanUnits.size(report.bytesFreed()));
      return 0;
    });
  }
}
