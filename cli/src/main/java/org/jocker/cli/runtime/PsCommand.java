package org.jocker.cli.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.runtime.OciRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * runc ps: the host's ps(1) with the arguments given (default -ef), keeping its header and the
 * rows whose PID column is one of the container's processes; with --format json, the pids.
 */
@Command(name = "ps", description = "List a container's processes: ps(1) with PS_ARGS (default -ef), or the pids as JSON.")
final class PsCommand extends RuntimeVerb {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "ID") String id;
  @Parameters(index = "1..*", paramLabel = "PS_ARGS") List<String> psArgs = new ArrayList<>();
  @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE}).") String format = "table";

  @Override
  int execute() throws Exception {
    if (!format.equals("table") && !format.equals("json")) {
      throw new OciRuntimeException("invalid format option");
    }
    List<Long> pids = runtime().processes(id);
    if (format.equals("json")) {
      System.out.println(JSON.writeValueAsString(pids)); // one line, as runc
      return 0;
    }
    List<String> command = new ArrayList<>(List.of("ps"));
    command.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
    Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ps.waitFor() != 0) {
      throw new OciRuntimeException("exit status " + ps.exitValue() + ": " + output);
    }
    List<String> lines = output.lines().toList();
    int pidColumn = lines.isEmpty() ? -1 : List.of(lines.get(0).trim().split("\\s+")).indexOf("PID");
    if (pidColumn < 0) {
      throw new OciRuntimeException("couldn't find PID field in ps output");
    }
    Set<String> wanted = new HashSet<>();
    pids.forEach(p -> wanted.add(Long.toString(p)));
    System.out.println(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] cols = line.trim().split("\\s+");
      if (line.isBlank()) {
        continue;
      }
      if (cols.length <= pidColumn || !cols[pidColumn].matches("\\d+")) {
        throw new OciRuntimeException("unable to parse pid: " + line);
      }
      if (wanted.contains(cols[pidColumn])) {
        System.out.println(line);
      }
    }
    return 0;
  }
}
