package org.jocker.cli.network;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", aliases = "remove", description = "Remove one or more networks.")
public final class NetworkRmCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    int code = 0;
    for (String name : names) {
      int one = EngineErrors.handled(jocker, () -> {
        jocker.engine().networking().removeNetwork(name);
        System.out.println(name);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
