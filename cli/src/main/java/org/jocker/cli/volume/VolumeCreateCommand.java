package org.jocker.cli.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import org.jocker.engine.spec.HostConfigParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", description = "Create a volume.")
public final class VolumeCreateCommand implements Callable<Integer> {
  @ParentCommand VolumeCommand group;
  @Parameters(index = "0", arity = "0..1", paramLabel = "VOLUME") String name;
  @Option(names = "--name", description = "Specify volume name.") String nameOption;
  @Option(names = {"-d", "--driver"}, description = "Volume driver name (only local).") String driver = "local";
  @Option(names = "--label", description = "Set metadata for a volume.") List<String> labels = new ArrayList<>();

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      if (name != null && nameOption != null && !name.equals(nameOption)) {
        throw EngineException.invalidArgument("conflicting options: either specify --name or provide positional arg, not both");
      }
      if (!driver.equals("local")) {
        throw EngineException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver
            + "\" not found");
      }
      String n = name != null ? name : nameOption;
      System.out.println(jocker.engine().volumes().create(n, HostConfigParser.labels(List.of(), labels)).name());
      return 0;
    });
  }
}
