package org.jocker.cli.image;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.engine.image.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", description = "Show the history of an image.")
public final class HistoryCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "IMAGE") String image;
  @Option(names = "--no-trunc", description = "Don't truncate output.") boolean noTrunc;
  @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.") boolean quiet;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      Instant now = Instant.now();
      String row = "%-14s %-16s %-46s %-10s %s%n";
      if (!quiet) {
        System.out.printf(row, "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
      }
      for (HistoryEntry h : jocker.engine().imageManager().history(image)) {
        String id = h.layerId().startsWith("sha256:") && !noTrunc ? h.layerId().substring(7, 19) : h.layerId();
        if (quiet) {
          System.out.println(id);
          continue;
        }
        String by = h.createdBy() == null ? "" : h.createdBy();
        if (!noTrunc && by.length() > 45) {
          by = by.substring(0, 44) + "…";
        }
        System.out.printf(row, id, HumanUnits.ago(h.created(), now), by,
            HumanUnits.size(Math.max(h.layerSize(), 0)), h.comment() == null ? "" : h.comment());
      }
      return 0;
    });
  }
}
