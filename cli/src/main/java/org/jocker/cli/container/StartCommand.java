package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.SessionCaller;
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
  @Option(names = {"-i", "--interactive"}, description = "Attach its stdin too.") boolean interactive;

  @Override
  public Integer call() {
    if (attach || interactive) {
      if (containers.size() > 1) {
        System.err.println("jocker: you cannot start and attach multiple containers at once");
        return 125;
      }
      return EngineErrors.handled(jocker(), () -> jocker().engine().attacher()
          .startAttached(containers.get(0), interactive, SessionCaller.current()));
    }
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker(), () -> {
        jocker().engine().start(c);
        System.out.println(c);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
