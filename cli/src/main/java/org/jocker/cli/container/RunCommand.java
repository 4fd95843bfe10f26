package org.jocker.cli.container;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.PullPrinter;
import org.jocker.cli.format.PullStatus;
import org.jocker.cli.session.Session;
import org.jocker.cli.session.SessionCaller;
import org.jocker.engine.image.PullPolicy;
import org.jocker.engine.spec.RunOptions;
import org.jocker.images.reference.Reference;
import org.jocker.kernel.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Create and run a new container from an image.")
public class RunCommand implements Callable<Integer> {
  @ParentCommand Object parent;

  /** The top command, also when this runs under `jocker container`. */
  JockerCommand jocker() {
    return JockerCommand.of(parent);
  }

  @Parameters(index = "0", paramLabel = "IMAGE") String image;
  @Parameters(index = "1..*", paramLabel = "COMMAND") List<String> command = new ArrayList<>();
  @Option(names = "--rm", description = "Remove the container when it exits.") boolean remove;
  @Option(names = "--name", description = "Name the container.") String name;
  @Option(names = {"-e", "--env"}, description = "Set an environment variable (NAME=VALUE, or NAME to pass ours).")
  List<String> env = new ArrayList<>();
  @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.") String workdir;
  @Option(names = {"-u", "--user"}, description = "User: name|uid[:group|gid].") String user;
  @Option(names = {"-h", "--hostname"}, description = "Container host name.") String hostname;
  @Option(names = "--entrypoint", description = "Overwrite the image's entrypoint.") String entrypoint;
  @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.") boolean interactive;
  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal (Ctrl-P Ctrl-Q detaches).") boolean tty;
  @Mixin HostConfigOptions host = new HostConfigOptions();
  @Mixin EndpointOptions endpoint = new EndpointOptions();

  @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container ID.") boolean detach;
  @Option(names = "--pull", paramLabel = "always|missing|never", description = "Pull the image before creating (default: missing).")
  String pull = "missing";
  @Option(names = "--platform", description = "Platform to pull for (os/arch[/variant]).") String platform;

  RunOptions options() {
    return new RunOptions(image, command, entrypoint, host.env(env), workdir, user, hostname, name, remove,
        interactive, host.hostConfig(), tty, endpoint.config());
  }

  /**
   * As Docker's client: pulls the image by the --pull policy before the container is made,
   * "Unable to find image" and the progress on stderr, so stdout is the container's alone.
   */
  void pullAsNeeded() {
    PrintStream err = System.err;
    PullPolicy policy = PullPolicy.parse(pull);
    PullPrinter printer = new PullPrinter(err, Terminal.isTerminal(Session.current().stderr()), false);
    var pulled = jocker().engine().pulling().ensure(image, policy, platform, jocker().registryCaller(),
        () -> err.println("Unable to find image '" + Reference.parse(image).familiar() + "' locally"), printer);
    PullStatus.print(err, pulled, false);
  }

  @Override
  public Integer call() {
    return EngineErrors.handled(jocker(), () -> {
      RunOptions options = options(); // parsing the options may fail with Docker's messages
      pullAsNeeded();
      if (detach) {
        System.out.println(jocker().engine().runDetached(options));
        return 0;
      }
      return jocker().engine().attacher().run(options, SessionCaller.current());
    });
  }
}
