package org.jocker.cli.system;

import java.util.concurrent.Callable;
import org.jocker.cli.CommandGroup;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** `jocker system ...`. */
@Command(name = "system", description = "Manage Jocker.", subcommands = {DfCommand.class, SystemPruneCommand.class})
public final class SystemCommand implements Callable<Integer>, CommandGroup {
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
