package org.jocker.cli.runtime;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ps", description = "List the processes of a container (`ps -ef` rows, or pids as JSON).")
final class PsCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE}).") String format = "table";

  @Override
  int execute() throws Exception {
    List<Long> pids = runtime().processes(id);
    if (format.equals("json")) {
      System.out.println(StateCommand.JSON.writeValueAsString(pids));
      return 0;
    }
    // As runc: the host's `ps -ef`, keeping the header and the container's rows.
    Process ps = new ProcessBuilder("ps", "-ef").redirectErrorStream(true).start();
    List<String> lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    ps.waitFor();
    Set<String> wanted = new HashSet<>();
    pids.forEach(p -> wanted.add(Long.toString(p)));
    for (int i = 0; i < lines.size(); i++) {
      String[] cols = lines.get(i).trim().split("\\s+");
      if (i == 0 || (cols.length > 1 && wanted.contains(cols[1]))) {
        System.out.println(lines.get(i));
      }
    }
    return 0;
  }
}
