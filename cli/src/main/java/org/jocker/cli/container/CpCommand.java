package org.jocker.cli.container;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `cp CONTAINER:SRC DEST` and `cp SRC CONTAINER:DEST`, paths in the container confined to its root. */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem (\"-\": a tar stream on stdin/stdout).")
public final class CpCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "SRC") String source;
  @Parameters(index = "1", paramLabel = "DEST") String dest;
  @Option(names = {"-L", "--follow-link"}, description = "Always follow a symbolic link in SRC.") boolean follow;
  @Option(names = {"-a", "--archive"}, description = "Archive mode (accepted; ownership is root's).") boolean archive;
  @Option(names = {"-q", "--quiet"}, description = "Suppress progress output (there is none).") boolean quiet;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      int s = containerSeparator(source);
      int d = containerSeparator(dest);
      if (s >= 0 && d >= 0) {
        throw EngineException.invalidArgument("copying between containers is not supported").checkedByClient();
      }
      if (s < 0 && d < 0) {
        throw EngineException.invalidArgument("must specify at least one container source").checkedByClient();
      }
      if (s >= 0 && dest.equals("-")) {
        java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
        jocker.engine().operations().copy(source.substring(0, s),
            c -> c.copyOutTar(absolute(source.substring(s + 1)), out, follow));
        try {
          out.flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return 0;
      }
      if (d >= 0 && source.equals("-")) {
        jocker.engine().operations().copy(dest.substring(0, d),
            c -> c.copyInTar(System.in, absolute(dest.substring(d + 1))));
        return 0;
      }
      if (s >= 0) {
        String path = absolute(source.substring(s + 1));
        jocker.engine().operations().copy(source.substring(0, s), c -> c.copyOut(path, hostPath(dest), follow));
      } else {
        String path = absolute(dest.substring(d + 1));
        Path src = hostPath(source);
        if (follow) {
          try {
            src = src.toRealPath();
          } catch (java.io.IOException e) {
            throw EngineException.notFound("lstat " + source + ": no such file or directory").checkedByClient();
          }
        }
        Path from = src;
        jocker.engine().operations().copy(dest.substring(0, d), c -> c.copyIn(from, path));
      }
      return 0;
    });
  }

  /** Docker's rule: "NAME:path" names a container unless the part before ':' has a '/' (a host path). */
  private static int containerSeparator(String arg) {
    int colon = arg.indexOf(':');
    if (colon <= 0 || arg.startsWith("/") || arg.startsWith(".") || arg.substring(0, colon).contains("/")) {
      return -1;
    }
    return colon;
  }

  private static String absolute(String containerPath) {
    return containerPath.startsWith("/") ? containerPath : "/" + containerPath;
  }

  private static Path hostPath(String arg) {
    Path p = Session.current().path(arg); // the caller's cwd, also in the resident engine
    return arg.endsWith("/") && !arg.equals("/") ? Path.of(p + "/") : p;
  }
}
