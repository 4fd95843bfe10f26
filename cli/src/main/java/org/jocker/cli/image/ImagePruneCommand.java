package org.jocker.cli.image;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.image.ImageManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove unused images and the storage only they used.")
public final class ImagePruneCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = {"-a", "--all"}, description = "Remove all images no container uses, not only dangling ones.") boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      ImageManager.PruneReport report = jocker.engine().imageManager().prune(all);
      if (!report.deleted().isEmpty()) {
        System.out.println("Deleted Images:");
        report.deleted().forEach(id -> System.out.println("deleted: " + id));
        System.out.println();
      }
      System.out.println("Total reclaimed space: " + HumanUnits.size(report.bytesFreed()));
      return 0;
    });
  }
}
