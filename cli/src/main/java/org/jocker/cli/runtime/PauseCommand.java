package org.jocker.cli.runtime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", description = "Freeze all processes of a container.")
final class PauseCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() {
    runtime().pause(id);
    return 0;
  }
}
