package org.jocker.cli;

import picocli.CommandLine;

/** Entry point of the `jocker` command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new JockerCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.getSubcommands().get("runtime").setExecutionExceptionHandler(new ErrorHandler());
    return cli.execute(args);
  }

}
