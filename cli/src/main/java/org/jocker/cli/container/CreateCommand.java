package org.jocker.cli.container;

import org.jocker.cli.EngineErrors;
import picocli.CommandLine.Command;

/** `create`: run's options; the container is made but not started. */
@Command(name = "create", description = "Create a new container.")
public final class CreateCommand extends RunCommand {
  @Override
  public Integer call() {
    return EngineErrors.handled(jocker(), () -> {
      var options = options();
      pullAsNeeded();
      System.out.println(jocker().engine().create(options));
      return 0;
    });
  }
}
