package org.jocker.cli.runtime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Thaw a paused container.")
final class ResumeCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() {
    runtime().resume(id);
    return 0;
  }
}
