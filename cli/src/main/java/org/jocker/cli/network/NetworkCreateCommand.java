package org.jocker.cli.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.network.NetworkCreation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", description = "Create a network.")
public final class NetworkCreateCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(index = "0", paramLabel = "NETWORK") String name;
  @Option(names = {"-d", "--driver"}, description = "Driver to manage the network (only bridge).")
  String driver = "bridge";
  @Option(names = "--subnet", description = "Subnet in CIDR format (default: a free one of Docker's pools).")
  String subnet;
  @Option(names = "--gateway", description = "IPv4 gateway of the subnet (default: its first address).") String gateway;
  @Option(names = "--ip-range", description = "Allocate container IPs from a sub-range (CIDR inside --subnet).")
  String ipRange;
  @Option(names = "--internal", description = "Restrict external access to the network.") boolean internal;
  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set metadata on a network.")
  List<String> labels = new ArrayList<>();
  @Option(names = {"-o", "--opt"}, paramLabel = "KEY=VALUE",
      description = "Driver options (com.docker.network.bridge.name, ...enable_ip_masquerade).")
  List<String> options = new ArrayList<>();

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      NetworkCreation creation = new NetworkCreation(name, driver, subnet, gateway, ipRange, internal,
          NetworkCreation.keyValues(labels), NetworkCreation.keyValues(options));
      System.out.println(jocker.engine().networking().networks().create(creation).id());
      return 0;
    });
  }
}
