package org.jocker.cli.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stops the resident engine: it stops serving at once (the next command starts a new one) and
 * exits when its running commands have finished; this waits up to --time for that. Containers
 * keep running either way.
 */
@Command(name = "stop", description = "Stop the resident engine.")
final class EngineStopCommand implements Callable<Integer> {
  @Option(names = "--socket", description = "The engine's socket (default: ${DEFAULT-VALUE}).",
      defaultValue = EngineCommand.SOCKET)
  Path socket;

  @Option(names = {"-t", "--time"}, description = "Seconds to wait for it to exit (default: ${DEFAULT-VALUE}).")
  long seconds = 30;

  @Override
  public Integer call() throws Exception {
    Optional<ProcessHandle> engine = engine();
    if (engine.isEmpty()) {
      return 0;
    }
    ProcessHandle process = engine.get();
    process.destroy(); // SIGTERM
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("jocker: the engine (pid " + process.pid() + ") is still finishing its commands");
      return 1;
    }
    return 0;
  }

  /** The process named by engine.pid, if it is still an engine. */
  private Optional<ProcessHandle> engine() throws IOException {
    String pid;
    try {
      pid = Files.readString(EngineServer.pidFile(socket.toAbsolutePath())).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(pid))
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("engine serve")).orElse(false));
  }
}
