package org.jocker.cli.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List containers.")
final class ListCommand extends RuntimeVerb {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE}).") String format = "table";
  @Option(names = {"-q", "--quiet"}, description = "Only ids.") boolean quiet;

  /** A container as runc's list prints it in JSON (its fields, in its order), and Jocker's exit status. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Entry(String ociVersion, String id, @JsonInclude(JsonInclude.Include.ALWAYS) int pid,
      ContainerState.Status status, String bundle, String rootfs, String created, Map<String, String> annotations,
      @JsonInclude(JsonInclude.Include.ALWAYS) String owner, ExitStatus exitStatus) {
    static Entry of(ContainerState s) {
      return new Entry(s.ociVersion(), s.id(), s.pid(), s.status(), s.bundle(), s.rootfs(), s.created(),
          s.annotations(), s.owner(), s.exitStatus());
    }
  }

  @Override
  int execute() throws Exception {
    List<ContainerState> all = runtime().list();
    if (quiet) {
      all.forEach(s -> System.out.println(s.id()));
    } else if (!format.equals("table") && !format.equals("json")) {
      throw new OciRuntimeException("invalid format option");
    } else if (format.equals("json")) {
      // One line, and null for none, as runc prints its (nil) slice.
      System.out.println(all.isEmpty() ? "null" : JSON.writeValueAsString(all.stream().map(Entry::of).toList()));
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
