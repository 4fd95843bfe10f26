package org.jocker.cli.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "import", description = "Import a root filesystem tarball (FILE or - for stdin) as an image.")
public final class ImportCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "FILE|-") String file;
  @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]") String reference;
  @Option(names = {"-c", "--change"}, description = "Apply a Dockerfile instruction (CMD, ENV, ...).")
  List<String> changes = new ArrayList<>();
  @Option(names = {"-m", "--message"}, description = "Commit message.") String message;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      try (InputStream in = file.equals("-") ? new BufferedInputStream(System.in) : open(Path.of(file))) {
        System.out.println(jocker.engine().imageManager().importTar(in, reference, changes, message));
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static InputStream open(Path path) throws IOException {
    Path resolved = Session.current().path(path.toString()); // relative: the caller's cwd
    if (!Files.isRegularFile(resolved)) {
      throw EngineException.notFound("open " + path + ": no such file or directory");
    }
    return new BufferedInputStream(Files.newInputStream(resolved), 1 << 16);
  }
}
