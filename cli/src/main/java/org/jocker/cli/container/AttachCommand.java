package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.SessionCaller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `attach`: this terminal to a running container's output and input (Ctrl-P Ctrl-Q detaches with -t). */
@Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container.")
public final class AttachCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Option(names = "--no-stdin", description = "Do not attach stdin.") boolean noStdin;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> jocker.engine().attacher().attach(container, !noStdin,
        SessionCaller.current()));
  }
}
