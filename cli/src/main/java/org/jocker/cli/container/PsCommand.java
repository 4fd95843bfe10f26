package org.jocker.cli.container;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.Engine;
import org.jocker.cli.format.HumanUnits;
import org.jocker.cli.format.Table;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ps", description = "List containers.")
public final class PsCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).") boolean all;
  @Option(names = {"-q", "--quiet"}, description = "Only display container IDs.") boolean quiet;
  @Option(names = "--no-trunc", description = "Don't truncate output.") boolean noTrunc;
  @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
      description = "Filter: id, name, label, status, exited, ancestor, before, since, volume.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", description = "Format output with a Go template (or \"table\", \"json\").") String format;

  private static final Table TABLE = new Table(new LinkedHashMap<>() {
    {
      put("ID", "CONTAINER ID");
      put("Image", "IMAGE");
      put("Command", "COMMAND");
      put("RunningFor", "CREATED");
      put("Status", "STATUS");
      put("Ports", "PORTS");
      put("Names", "NAMES");
    }
  });

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      List<Map<String, Object>> rows = rows(jocker.engine(), jocker.engine().list(all, ContainerFilter.forPs(filters)),
          Instant.now());
      if (quiet) {
        rows.forEach(r -> System.out.println(r.get("ID")));
        return 0;
      }
      TABLE.printList(rows, format, System.out);
      return 0;
    });
  }

  private List<Map<String, Object>> rows(Engine engine, List<ContainerView> containers, Instant now) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ContainerView c : containers) {
      String command = "\"" + String.join(" ", c.command()) + "\"";
      if (!noTrunc && command.length() > 22) {
        command = command.substring(0, 21) + "…\"";
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ID", noTrunc ? c.id() : c.id().substring(0, 12));
      row.put("Image", c.image());
      row.put("Command", command);
      row.put("CreatedAt", c.created());
      row.put("RunningFor", HumanUnits.ago(c.created(), now));
      row.put("Status", status(c, now));
      row.put("State", c.state());
      row.put("Ports", c.running() ? ports(engine, c.id()) : "");
      row.put("Names", c.name());
      rows.add(row);
    }
    return rows;
  }

  /** Docker's PORTS: 127.0.0.1:8080->80/tcp, comma-separated. */
  private static String ports(Engine engine, String id) {
    try {
      return String.join(", ", engine.ports(id).stream()
          .map(p -> p.shownHostIp() + ":" + p.hostPort() + "->" + p.portKey()).toList());
    } catch (RuntimeException e) {
      return ""; // removed meanwhile
    }
  }

  private static String status(ContainerView c, Instant now) {
    return switch (c.state()) {
      case "running" -> "Up " + HumanUnits.ago(c.created(), now).replace(" ago", "");
      case "paused" -> "Up " + HumanUnits.ago(c.created(), now).replace(" ago", "") + " (Paused)";
      case "exited" -> "Exited (" + c.exitCode() + ") " + HumanUnits.ago(c.finished(), now);
      case "restarting" -> "Restarting (" + c.exitCode() + ") " + HumanUnits.ago(c.finished(), now);
      default -> "Created";
    };
  }
}
