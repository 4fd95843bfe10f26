package org.jocker.cli.runtime;

import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.state.ContainerNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Remove a stopped container (with --force, any container).")
final class DeleteCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-f", "--force"}, description = "Kill the container first if it is not stopped;"
      + " a container that does not exist is no error.") boolean force;

  @Override
  int execute() {
    ContainerRuntime runtime = runtime();
    try {
      runtime.delete(id, force);
    } catch (ContainerNotFoundException e) {
      if (!force) {
        throw e;
      }
      // As runc: what is forced away may already be gone; a create cut short may have left a state directory.
      runtime.removeIncomplete(id);
    }
    return 0;
  }
}
