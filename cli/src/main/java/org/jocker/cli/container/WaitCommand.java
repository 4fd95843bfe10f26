package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes.")
public final class WaitCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }

  @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> containers;

  @Override
  public Integer call() {
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker(), () -> {
        System.out.println(jocker().engine().await(c));
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
