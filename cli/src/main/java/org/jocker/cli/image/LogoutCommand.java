package org.jocker.cli.image;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.images.RegistryAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Docker's {@code logout}: forgets the caller's credentials for a registry. */
@Command(name = "logout", description = "Log out from a registry (Docker Hub when no SERVER is given).")
public final class LogoutCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER") String server;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      String key = RegistryAccess.serverKey(server);
      boolean removed;
      try {
        removed = RegistryAccess.logout(server, jocker.registryUser());
      } catch (ImageException e) {
        throw EngineException.of(EngineException.Kind.INTERNAL, e, "%s", e.getMessage()).checkedByClient();
      }
      System.out.println(removed ? "Removing login credentials for " + key : "Not logged in to " + key);
      return 0;
    });
  }
}
