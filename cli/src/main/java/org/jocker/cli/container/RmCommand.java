package org.jocker.cli.container;

import org.jocker.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rm", description = "Remove one or more containers.")
public final class RmCommand extends EachContainerCommand {
  @Option(names = {"-f", "--force"}, description = "Kill and remove a running container.") boolean force;
  @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container.")
  boolean volumes;

  @Override
  void apply(Engine engine, String container) {
    engine.remove(container, force, volumes);
  }
}
