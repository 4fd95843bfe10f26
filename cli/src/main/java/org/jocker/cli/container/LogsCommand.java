package org.jocker.cli.container;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import org.jocker.engine.logs.LogOptions;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.logs.Since;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "Fetch the logs of a container.")
public final class LogsCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }

  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Option(names = {"-f", "--follow"}, description = "Follow log output.") boolean follow;
  @Option(names = {"-t", "--timestamps"}, description = "Show timestamps.") boolean timestamps;
  @Option(names = {"-n", "--tail"}, description = "Number of lines to show from the end (default \"all\").")
  String tail = "all";
  @Option(names = "--since", description = "Show logs since a time (RFC 3339, Unix time) or a duration ago (10m).")
  String since;

  @Override
  public Integer call() {
    return EngineErrors.handled(jocker(), () -> {
      int lines;
      try {
        lines = tail.equals("all") ? -1 : Integer.parseInt(tail);
      } catch (NumberFormatException e) {
        throw EngineException.invalidArgument("invalid value for --tail: \"" + tail + "\"");
      }
      Instant from;
      try {
        from = since == null ? null : Since.parse(since, Instant.now());
      } catch (IllegalArgumentException e) {
        throw EngineException.invalidArgument(e.getMessage());
      }
      jocker().engine().logs(container, new LogOptions(lines < 0 ? -1 : lines, from, timestamps, follow),
          LogSink.of(System.out, System.err));
      return 0;
    });
  }
}
