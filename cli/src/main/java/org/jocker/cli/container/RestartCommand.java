package org.jocker.cli.container;

import org.jocker.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", description = "Restart one or more containers.")
public final class RestartCommand extends EachContainerCommand {
  @Option(names = {"-t", "--time", "--timeout"}, description = "Seconds to wait before killing it (default 10).")
  Integer time;

  @Override
  void apply(Engine engine, String container) {
    engine.restart(container, time);
  }
}
