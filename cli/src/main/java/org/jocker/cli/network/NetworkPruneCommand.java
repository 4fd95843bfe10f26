package org.jocker.cli.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.container.ContainerFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove all unused networks.")
public final class NetworkPruneCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;
  @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Filter: label=..., label!=..., until=...")
  List<String> filters = new ArrayList<>();

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      List<String> removed = jocker.engine().networking().pruneNetworks(ContainerFilter.forPrune(filters));
      if (!removed.isEmpty()) { // Docker prints nothing when nothing was removed
        System.out.println("Deleted Networks:");
        removed.forEach(System.out::println);
        System.out.println();
      }
      return 0;
    });
  }
}
