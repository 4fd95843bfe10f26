package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restart", description = "Restart one or more containers.")
public final class RestartCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }
  @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> containers;
  @Option(names = {"-t", "--time", "--timeout"}, description = "Seconds to wait before killing it (default 10).")
  Integer time;

  @Override
  public Integer call() {
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker(), () -> {
        jocker().engine().lifecycle().restart(c, time);
        System.out.println(c);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
