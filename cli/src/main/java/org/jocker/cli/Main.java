package org.jocker.cli;

import org.jocker.cli.container.PsCommand;
import org.jocker.cli.image.ImagesCommand;
import org.jocker.cli.image.RmiCommand;
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
    CommandLine runtime = cli.getSubcommands().get("runtime");
    runtime.setExecutionExceptionHandler(new ErrorHandler());
    // Options end at the container id: what follows belongs to the container's command.
    runtime.getSubcommands().get("exec").setStopAtPositional(true);
    cli.getSubcommands().get("run").setStopAtPositional(true);
    cli.getSubcommands().get("create").setStopAtPositional(true);
    // Docker's names inside the group: `image ls`, `image rm` (top level: `images`, `rmi`).
    CommandLine image = cli.getSubcommands().get("image");
    image.addSubcommand("ls", new ImagesCommand());
    image.addSubcommand("rm", new RmiCommand());
    // `container ls|ps|list`; exec's and top's options end at the container too.
    CommandLine container = cli.getSubcommands().get("container");
    container.addSubcommand("ls", new PsCommand(), "ps", "list");
    for (CommandLine group : java.util.List.of(cli, container)) {
      group.getSubcommands().get("exec").setStopAtPositional(true);
      group.getSubcommands().get("top").setStopAtPositional(true);
    }
    return cli.execute(args);
  }

}
