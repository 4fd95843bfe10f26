package org.jocker.cli.container;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", description = "Export a container's filesystem as a tar archive (to stdout or -o).")
public final class ExportCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Option(names = {"-o", "--output"}, description = "Write to a file instead of stdout.") Path output;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      if (output == null && System.console() != null) {
        throw new EngineException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 125);
      }
      try {
        if (output == null) {
          OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
          jocker.engine().export(container, out);
          out.flush();
          return 0;
        }
        Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
          jocker.engine().export(container, out);
        } catch (RuntimeException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
