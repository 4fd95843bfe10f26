package org.jocker.cli.container;

import org.jocker.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", description = "Stop one or more running containers.")
public final class StopCommand extends EachContainerCommand {
  @Option(names = {"-t", "--time", "--timeout"}, description = "Seconds to wait before killing it (default 10).")
  Integer time;

  @Override
  void apply(Engine engine, String container) {
    engine.stop(container, time);
  }
}
