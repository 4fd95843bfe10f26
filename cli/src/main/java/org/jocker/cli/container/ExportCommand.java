package org.jocker.cli.container;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.OutputTarget;
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
      OutputTarget.write(output, "failed to export container", out -> jocker.engine().export(container, out));
      return 0;
    });
  }
}
