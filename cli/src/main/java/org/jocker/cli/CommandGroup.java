package org.jocker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others (`jocker image ...`, `jocker container ...`): on its own it
 * prints its usage; its subcommands reach the top command through {@link #jocker()}.
 */
public abstract class CommandGroup implements Callable<Integer> {
  @ParentCommand JockerCommand jocker;
  @Spec CommandSpec spec;

  public JockerCommand jocker() {
    return jocker;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }
}
