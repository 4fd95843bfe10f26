package org.jocker.cli.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Serve the native client's commands until idle.")
final class EngineServeCommand implements Callable<Integer> {
  @Option(names = "--socket", description = "The socket to listen on (default: ${DEFAULT-VALUE}).",
      defaultValue = EngineCommand.SOCKET)
  Path socket;

  @Option(names = "--idle-timeout", description = "Seconds without a command before exiting (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:JOCKER_ENGINE_IDLE_TIMEOUT:-600}")
  long idleSeconds;

  @Override
  public Integer call() throws Exception {
    return new EngineServer(socket, Duration.ofSeconds(idleSeconds)).serve();
  }
}
