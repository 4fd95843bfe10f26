package org.jocker.cli.container;

import org.jocker.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kill", description = "Kill one or more running containers.")
public final class KillCommand extends EachContainerCommand {
  @Option(names = {"-s", "--signal"}, description = "Signal to send (default KILL).") String signal;

  @Override
  void apply(Engine engine, String container) {
    engine.kill(container, signal);
  }
}
