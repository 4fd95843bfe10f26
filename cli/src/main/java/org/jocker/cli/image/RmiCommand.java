package org.jocker.cli.image;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rmi", description = "Remove one or more images.")
public final class RmiCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;
  @Option(names = {"-f", "--force"}, description = "Remove even if a container uses it.") boolean force;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    int code = 0;
    for (String image : images) {
      // Docker goes on with the next image after a failure, and exits 1 at the end.
      int one = EngineErrors.handled(jocker, () -> {
        jocker.engine().imageManager().remove(image, force).forEach(System.out::println);
        return 0;
      });
      code = one != 0 ? 1 : code;
    }
    return code;
  }
}
