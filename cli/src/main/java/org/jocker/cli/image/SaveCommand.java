package org.jocker.cli.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import org.jocker.images.archive.ArchiveFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "save", description = "Save images to a tar archive (docker-archive, or OCI layout), or stdout.")
public final class SaveCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;
  @Option(names = {"-o", "--output"}, description = "Write to this file instead of stdout.") Path output;
  @Option(names = "--format", description = "docker (default) or oci.") String format = "docker";

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      ArchiveFormat f = switch (format) {
        case "docker" -> ArchiveFormat.DOCKER_ARCHIVE;
        case "oci" -> ArchiveFormat.OCI_LAYOUT;
        default -> throw new EngineException("--format: unknown format \"" + format + "\" (docker or oci)", 125);
      };
      if (output == null && System.console() != null) {
        throw new EngineException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 125);
      }
      try {
        if (output == null) {
          OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
          jocker.engine().imageManager().save(images, out, f);
          out.flush();
          return 0;
        }
        // Written beside the target, then renamed: a failed save leaves no half archive.
        Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
          jocker.engine().imageManager().save(images, out, f);
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
