package org.jocker.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.InspectOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Display detailed information on one or more networks.")
public final class NetworkInspectCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;
  @Option(names = {"-f", "--format"}, description = "Format each network with a Go template.") String format;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      List<JsonNode> found = new ArrayList<>();
      for (String name : names) {
        found.add(jocker.engine().inspectNetwork(name));
      }
      InspectOutput.print(found, format, System.out);
      return 0;
    });
  }
}
