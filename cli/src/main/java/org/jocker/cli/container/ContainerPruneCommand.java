package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove all stopped containers.")
public final class ContainerPruneCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.") boolean force;
  @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Filter: label=..., label!=..., until=...")
  List<String> filters = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      ContainerFilter filter = ContainerFilter.forPrune(filters);
      long bytes = 0;
      for (ContainerView c : jocker.engine().list(true, filter)) {
        if (!c.state().equals("running") && !c.state().equals("paused")) {
          bytes += jocker.engine().images().rootfsBytes(c.id());
        }
      }
      List<String> removed = jocker.engine().pruneContainers(filter);
      if (!removed.isEmpty()) {
        System.out.println("Deleted Containers:");
        removed.forEach(System.out::println);
        System.out.println();
      }
      System.out.println("Total reclaimed space: " + HumanUnits.size(removed.isEmpty() ? 0 : bytes));
      return 0;
    });
  }
}
