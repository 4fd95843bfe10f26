package org.jocker.cli.container;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.ContainerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ps", description = "List containers.")
public final class PsCommand implements Callable<Integer> {
  @ParentCommand JockerCommand jocker;
  @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).") boolean all;
  @Option(names = {"-q", "--quiet"}, description = "Only display container IDs.") boolean quiet;
  @Option(names = "--no-trunc", description = "Don't truncate output.") boolean noTrunc;

  @Override
  public Integer call() {
    return EngineErrors.handled(jocker, () -> {
      Instant now = Instant.now();
      String row = "%-14s %-20s %-24s %-16s %-26s %-8s %s%n";
      if (!quiet) {
        System.out.printf(row, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
      }
      for (ContainerView c : jocker.engine().list(all)) {
        String id = noTrunc ? c.id() : c.id().substring(0, 12);
        if (quiet) {
          System.out.println(id);
          continue;
        }
        String command = "\"" + String.join(" ", c.command()) + "\"";
        if (!noTrunc && command.length() > 22) {
          command = command.substring(0, 21) + "…\"";
        }
        System.out.printf(row, id, c.image(), command, HumanUnits.ago(c.created(), now), status(c, now), "", c.name());
      }
      return 0;
    });
  }

  private static String status(ContainerView c, Instant now) {
    return switch (c.state()) {
      case "running" -> "Up " + HumanUnits.ago(c.created(), now).replace(" ago", "");
      case "paused" -> "Up " + HumanUnits.ago(c.created(), now).replace(" ago", "") + " (Paused)";
      case "exited" -> "Exited (" + c.exitCode() + ") " + HumanUnits.ago(c.finished(), now);
      default -> "Created";
    };
  }
}
