package org.jocker.cli.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "load", description = "Load images from a tar archive (docker-archive or OCI layout), or stdin.")
public final class LoadCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = {"-i", "--input"}, description = "Read from this file instead of stdin.") Path input;
  @Option(names = {"-q", "--quiet"}, description = "Print nothing.") boolean quiet;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      try (InputStream in = input != null ? open(input) : new BufferedInputStream(System.in)) {
        var lines = jocker.engine().imageManager().load(in);
        if (!quiet) {
          lines.forEach(System.out::println);
        }
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static InputStream open(Path file) throws IOException {
    Path resolved = Session.current().path(file.toString()); // relative: the caller's cwd
    if (!Files.isRegularFile(resolved)) {
      throw EngineException.notFound("open " + file + ": no such file or directory");
    }
    return new BufferedInputStream(Files.newInputStream(resolved), 1 << 16);
  }
}
