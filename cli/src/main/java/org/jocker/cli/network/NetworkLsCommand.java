package org.jocker.cli.network;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.network.BridgeNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", aliases = "list", description = "List networks.")
public final class NetworkLsCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Option(names = {"-q", "--quiet"}, description = "Only display network IDs.") boolean quiet;
  @Option(names = "--no-trunc", description = "Do not truncate the output.") boolean noTrunc;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      if (!quiet) {
        System.out.printf("%-" + (noTrunc ? 67 : 15) + "s%-10s%-10s%s%n", "NETWORK ID", "NAME", "DRIVER", "SCOPE");
      }
      var networking = jocker.engine().networking();
      row(networking.network(BridgeNetwork.NAME).id(), "bridge", "bridge");
      row(org.jocker.engine.network.NetworkSettings.builtInId("host"), "host", "host");
      row(org.jocker.engine.network.NetworkSettings.builtInId("none"), "none", "null");
      for (BridgeNetwork n : networking.networks().list()) {
        row(n.id(), n.name(), "bridge");
      }
      return 0;
    });
  }

  private void row(String id, String name, String driver) {
    String shown = noTrunc ? id : id.substring(0, 12);
    System.out.println(quiet ? shown
        : String.format("%-" + (noTrunc ? 67 : 15) + "s%-10s%-10s%s", shown, name, driver, "local"));
  }
}
