package org.jocker.cli;

import java.util.concurrent.Callable;
import org.jocker.cli.runtime.RuntimeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `jocker`: the Docker-compatible front end. Subcommands are added as their issues land. */
@Command(
    name = "jocker",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A container engine: Docker's commands on the same kernel parts.",
    subcommands = {RuntimeCommand.class})
public final class JockerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }
}
