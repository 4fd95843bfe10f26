package org.jocker.cli.volume;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", aliases = "list", description = "List volumes.")
public final class VolumeLsCommand implements Callable<Integer> {
  @ParentCommand VolumeCommand group;
  @Option(names = {"-q", "--quiet"}, description = "Only display volume names.") boolean quiet;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      if (!quiet) {
        System.out.printf("%-16s%s%n", "DRIVER", "VOLUME NAME");
      }
      for (Volume v : jocker.engine().volumes().list()) {
        System.out.println(quiet ? v.name() : String.format("%-16s%s", v.driver(), v.name()));
      }
      return 0;
    });
  }
}
