package org.jocker.cli;

import java.io.PrintWriter;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jocker.cli.container.PsCommand;
import org.jocker.cli.image.ImagesCommand;
import org.jocker.cli.image.RmiCommand;
import org.jocker.cli.runtime.RuntimeCommand;
import picocli.CommandLine;

/** Entry point of the `jocker` command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Built command models, reused: building picocli's model of every command (reflection over all
   * their annotations) costs more than most commands take, and the resident engine runs many.
   * A model serves one command at a time; picocli resets its options before each parse, and
   * {@link #reset} drops what the commands cached.
   */
  private static final ConcurrentLinkedQueue<CommandLine> MODELS = new ConcurrentLinkedQueue<>();

  public static int run(String... args) {
    CommandLine cli = MODELS.poll();
    if (cli == null) {
      cli = build();
    }
    // picocli keeps the writers it made from System.out/err: make them from this caller's.
    cli.setOut(new PrintWriter(System.out, true));
    cli.setErr(new PrintWriter(System.err, true));
    // picocli's default strategy keeps the writers of its first run for --help and --version: a new one.
    cli.setExecutionStrategy(new CommandLine.RunLast());
    try {
      return cli.execute(args);
    } finally {
      reset(cli);
      MODELS.offer(cli);
    }
  }

  private static void reset(CommandLine cli) {
    ((JockerCommand) cli.getCommand()).reset();
    ((RuntimeCommand) cli.getSubcommands().get("runtime").getCommand()).reset();
  }

  private static CommandLine build() {
    CommandLine cli = new CommandLine(new JockerCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    CommandLine runtime = cli.getSubcommands().get("runtime");
    runtime.setExecutionExceptionHandler(new ErrorHandler());
    // runc's exec and ps: options end at the container id (what follows is the command, or ps's own).
    runtime.getSubcommands().get("exec").setStopAtPositional(true);
    runtime.getSubcommands().get("ps").setStopAtPositional(true);
    // Docker's names inside the group: `image ls`, `image rm` (top level: `images`, `rmi`).
    CommandLine image = cli.getSubcommands().get("image");
    image.addSubcommand("ls", new ImagesCommand());
    image.addSubcommand("rm", new RmiCommand());
    // `container ls|ps|list`; the options of run, create, exec and top end at the image or
    // container: what follows belongs to the container's command.
    CommandLine container = cli.getSubcommands().get("container");
    container.addSubcommand("ls", new PsCommand(), "ps", "list");
    for (CommandLine group : java.util.List.of(cli, container)) {
      for (String name : java.util.List.of("run", "create", "exec", "top")) {
        group.getSubcommands().get(name).setStopAtPositional(true);
      }
    }
    return cli;
  }
}
