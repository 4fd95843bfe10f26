package org.jocker.cli.volume;

import java.util.concurrent.Callable;
import org.jocker.cli.CommandGroup;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** `jocker volume ...`: local volumes under ROOT/volumes. */
@Command(name = "volume", description = "Manage volumes.",
    subcommands = {VolumeCreateCommand.class, VolumeLsCommand.class, VolumeInspectCommand.class,
        VolumeRmCommand.class, VolumePruneCommand.class})
public final class VolumeCommand implements Callable<Integer>, CommandGroup {
  @ParentCommand JockerCommand jocker;
  @Spec CommandSpec spec;

  @Override
  public JockerCommand jocker() {
    return jocker;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }
}
