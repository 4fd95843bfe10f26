package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Remove one or more containers.")
public final class RmCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> containers;
  @Option(names = {"-f", "--force"}, description = "Kill and remove a running container.") boolean force;
  @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container.")
  boolean volumes;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    int code = 0;
    for (String c : containers) {
      int one = EngineErrors.handled(jocker, () -> {
        jocker.engine().remove(c, force, volumes);
        System.out.println(c);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
