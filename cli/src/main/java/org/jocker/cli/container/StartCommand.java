package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.ContainerLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "start", description = "Start one or more stopped containers.")
public final class StartCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }

  @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> containers;
  @Option(names = {"-a", "--attach"}, description = "Attach to its output and exit with its code.") boolean attach;

  @Override
  public Integer call() {
    if (attach) {
      if (containers.size() > 1) {
        System.err.println("jocker: you cannot start and attach multiple containers at once");
        return 125;
      }
      return EngineErrors.handled(jocker(), () -> jocker().engine().lifecycle()
          .startAttached(containers.get(0), ContainerLifecycle.sink(System.out, System.err)));
    }
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker(), () -> {
        jocker().engine().lifecycle().start(c);
        System.out.println(c);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
