package org.jocker.cli.container;

import org.jocker.engine.Engine;
import picocli.CommandLine.Command;

@Command(name = "unpause", description = "Unpause all processes within one or more containers.")
public final class UnpauseCommand extends EachContainerCommand {
  @Override
  void apply(Engine engine, String container) {
    engine.unpause(container);
  }
}
