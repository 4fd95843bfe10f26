package org.jocker.cli.runtime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Remove a stopped container (with --force, any container).")
final class DeleteCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-f", "--force"}, description = "Kill the container first if it runs.") boolean force;

  @Override
  int execute() {
    runtime().delete(id, force);
    return 0;
  }
}
