package org.jocker.cli.image;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.OutputTarget;
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
        default -> throw EngineException.invalidArgument("--format: unknown format \"" + format + "\" (docker or oci)");
      };
      OutputTarget.write(output, "failed to save image", out -> jocker.engine().imageManager().save(images, out, f));
      return 0;
    });
  }
}
