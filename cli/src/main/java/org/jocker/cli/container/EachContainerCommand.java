package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.Engine;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * A command applied to each named container in turn (stop, kill, pause, rm...): the name is
 * printed when it worked; as Docker does, a failure is reported and the next one is tried, and the
 * command exits 1 at the end.
 */
abstract class EachContainerCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> containers;

  /** Does the command's work on one container. */
  abstract void apply(Engine engine, String container);

  @Override
  public final Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker, () -> {
        apply(jocker.engine(), c);
        System.out.println(c);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
