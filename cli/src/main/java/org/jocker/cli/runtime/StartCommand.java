package org.jocker.cli.runtime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Run the process of a created container.")
final class StartCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() {
    runtime().start(id);
    return 0;
  }
}
