package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `container cleanup --launch TOKEN ID` (hidden, as podman's `container cleanup`): what a
 * container's monitor runs once the container has exited — --rm, or its restart policy.
 */
@Command(name = "cleanup", hidden = true,
    description = "Remove or restart an exited container as its options say (run by its monitor).")
public final class CleanupCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = "--launch", required = true, description = "The run of the container that exited.") String launch;
  @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container's full id.") String id;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      jocker.engine().cleanup().run(id, launch);
      return 0;
    });
  }
}
