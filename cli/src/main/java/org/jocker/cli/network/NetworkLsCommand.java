package org.jocker.cli.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.network.BridgeNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", aliases = "list", description = "List networks.")
public final class NetworkLsCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Option(names = {"-q", "--quiet"}, description = "Only display network IDs.") boolean quiet;
  @Option(names = "--no-trunc", description = "Do not truncate the output.") boolean noTrunc;
  @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
      description = "Filter: driver, id, label, name, scope, type=custom|builtin.")
  List<String> filters = new ArrayList<>();
  private ContainerFilter filter;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      filter = ContainerFilter.forNetworks(filters);
      if (!quiet) {
        System.out.printf("%-" + (noTrunc ? 67 : 15) + "s%-10s%-10s%s%n", "NETWORK ID", "NAME", "DRIVER", "SCOPE");
      }
      var networking = jocker.engine().networking();
      row(networking.network(BridgeNetwork.NAME).id(), "bridge", "bridge", true, Map.of());
      row(org.jocker.engine.network.NetworkSettings.builtInId("host"), "host", "host", true, Map.of());
      row(org.jocker.engine.network.NetworkSettings.builtInId("none"), "none", "null", true, Map.of());
      for (BridgeNetwork n : networking.networks().list()) {
        row(n.id(), n.name(), "bridge", false, n.labels());
      }
      return 0;
    });
  }

  private void row(String id, String name, String driver, boolean builtIn, Map<String, String> labels) {
    if (!filter.matchesNetwork(id, name, driver, builtIn, labels)) {
      return;
    }
    String shown = noTrunc ? id : id.substring(0, 12);
    System.out.println(quiet ? shown
        : String.format("%-" + (noTrunc ? 67 : 15) + "s%-10s%-10s%s", shown, name, driver, "local"));
  }
}
