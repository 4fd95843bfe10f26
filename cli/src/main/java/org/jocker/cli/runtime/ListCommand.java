package org.jocker.cli.runtime;

import java.util.List;
import org.jocker.runtime.state.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List containers.")
final class ListCommand extends RuntimeVerb {
  @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE}).") String format = "table";
  @Option(names = {"-q", "--quiet"}, description = "Only ids.") boolean quiet;

  @Override
  int execute() throws Exception {
    List<ContainerState> all = runtime().list();
    if (quiet) {
      all.forEach(s -> System.out.println(s.id()));
    } else if (format.equals("json")) {
      System.out.println(StateCommand.JSON.writeValueAsString(all));
    } else {
      String row = "%-12s %-10s %-10s %-40s %s%n";
      System.out.printf(row, "ID", "PID", "STATUS", "BUNDLE", "CREATED");
      for (ContainerState s : all) {
        System.out.printf(row, s.id(), s.pid(), s.status(), s.bundle(), s.created());
      }
    }
    return 0;
  }
}
