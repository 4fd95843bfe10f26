package org.jocker.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Terminal;

/**
 * Where `save` and `export` write an archive: a file given with -o, written beside it and renamed
 * into place so that a failure leaves no half archive, or stdout, but never a terminal.
 */
public final class OutputTarget {
  /** Writes the archive; may throw. */
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private OutputTarget() {}

  /** @param failure what Docker's client says failed when -o is not a path it can write (e.g. "failed to save image") */
  public static void write(Path output, String failure, Writer writer) {
    try {
      if (output == null) {
        if (Terminal.isTerminal(Session.current().stdout())) {
          throw EngineException.invalidArgument("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        writer.write(out);
        out.flush();
        return;
      }
      Path file = Session.current().path(output.toString()); // relative: the caller's cwd
      checkOutputPath(output, file, failure);
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writer.write(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Docker's client checks -o before it asks the daemon: in a directory that exists, a regular file or none. */
  private static void checkOutputPath(Path given, Path file, String failure) {
    Path dir = given.normalize().getParent();
    if (dir != null && !Files.isDirectory(file.getParent())) {
      throw EngineException.invalidArgument("%s: invalid output path: directory \"%s\" does not exist", failure, dir)
          .checkedByClient();
    }
    if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
      throw EngineException.invalidArgument("%s: invalid output path: \"%s\" must be a directory or a regular file",
          failure, given).checkedByClient();
    }
  }
}
