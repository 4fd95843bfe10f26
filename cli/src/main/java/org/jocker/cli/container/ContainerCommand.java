package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.CommandGroup;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** `jocker container ...`: the container commands under one name, as Docker groups them. */
@Command(name = "container", description = "Manage containers.",
    subcommands = {RmCommand.class, InspectCommand.class, ContainerPruneCommand.class, DiffCommand.class,
        ExportCommand.class, CommitCommand.class, ExecCommand.class, TopCommand.class, StatsCommand.class,
        CpCommand.class, PortCommand.class})
public final class ContainerCommand implements Callable<Integer>, CommandGroup {
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
