package org.jocker.cli.container;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "commit", description = "Create a new image from a container's changes.")
public final class CommitCommand implements Callable<Integer> {
  @ParentCommand Object parent; // jocker, or the `container` group
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]") String reference;
  @Option(names = {"-c", "--change"}, description = "Apply a Dockerfile instruction (CMD, ENV, ...).")
  List<String> changes = new ArrayList<>();
  @Option(names = {"-m", "--message"}, description = "Commit message.") String message;
  @Option(names = {"-a", "--author"}, description = "Author.") String author;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      System.out.println(jocker.engine().commit(container, reference, changes, message, author));
      return 0;
    });
  }
}
