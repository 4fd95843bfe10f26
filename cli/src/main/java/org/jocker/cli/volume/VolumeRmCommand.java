package org.jocker.cli.volume;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", aliases = "remove", description = "Remove one or more volumes.")
public final class VolumeRmCommand implements Callable<Integer> {
  @ParentCommand VolumeCommand group;
  @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> names;
  @Option(names = {"-f", "--force"}, description = "Do not fail on a volume that does not exist.") boolean force;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    int code = 0;
    for (String name : names) {
      int one = EngineErrors.handled(jocker, () -> {
        jocker.engine().volumes().remove(name, force);
        System.out.println(name);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
