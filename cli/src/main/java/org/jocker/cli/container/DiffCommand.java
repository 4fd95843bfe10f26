package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "diff", description = "Inspect changes to files on a container's filesystem (A added, C changed, D deleted).")
public final class DiffCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      jocker.engine().diff(container).forEach(c -> System.out.println(c.kind().letter() + " " + c.path()));
      return 0;
    });
  }
}
