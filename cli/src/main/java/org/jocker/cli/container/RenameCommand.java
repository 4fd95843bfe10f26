package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rename", description = "Rename a container.")
public final class RenameCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }

  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1", paramLabel = "NEW_NAME") String newName;

  @Override
  public Integer call() {
    return EngineErrors.handled(jocker(), () -> {
      jocker().engine().rename(container, newName);
      return 0;
    });
  }
}
