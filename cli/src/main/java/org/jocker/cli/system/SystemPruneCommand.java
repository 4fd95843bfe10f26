package org.jocker.cli.system;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.BuildCacheLines;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.image.ImageManager;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.images.BuildCachePruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove stopped containers, unused images and build cache, and everything only they used.")
public final class SystemPruneCommand implements Callable<Integer> {
  @ParentCommand SystemCommand system;
  @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones.") boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;
  @Option(names = "--volumes", description = "Prune anonymous volumes.") boolean volumes;

  @Override
  public Integer call() {
    JockerCommand jocker = system.jocker();
    return EngineErrors.handled(jocker, () -> {
      List<String> containers = jocker.engine().pruneContainers();
      if (!containers.isEmpty()) {
        System.out.println("Deleted Containers:");
        containers.forEach(System.out::println);
        System.out.println();
      }
      long volumeBytes = 0;
      if (volumes) {
        VolumeManager.PruneReport pruned = jocker.engine().volumes().prune(false);
        volumeBytes = pruned.bytesFreed();
        if (!pruned.deleted().isEmpty()) {
          System.out.println("Deleted Volumes:");
          pruned.deleted().forEach(System.out::println);
          System.out.println();
        }
      }
      ImageManager.PruneReport images = jocker.engine().imageManager().prune(all);
      if (!images.deleted().isEmpty()) {
        System.out.println("Deleted Images:");
        images.deleted().forEach(id -> System.out.println("deleted: " + id));
        System.out.println();
      }
      // the build cache last, as Docker: dangling records, or all with -a
      BuildCachePruner.Report cache = jocker.engine().imageManager()
          .pruneBuildCache(new BuildCachePruner.Request(all, null, -1));
      BuildCacheLines.printDeleted(cache, System.out);
      System.out.println("Total reclaimed space: "
          + HumanUnits.size(images.bytesFreed() + volumeBytes + cache.bytesFreed()));
      return 0;
    });
  }
}
