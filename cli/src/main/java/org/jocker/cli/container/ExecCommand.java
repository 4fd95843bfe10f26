package org.jocker.cli.container;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.cli.session.SessionCaller;
import org.jocker.engine.operations.ExecRequest;
import org.jocker.runtime.launch.Stdio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "exec", description = "Execute a command in a running container.")
public final class ExecCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND") List<String> command = new ArrayList<>();
  @Option(names = {"-d", "--detach"}, description = "Run the command in the background.") boolean detach;
  @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.") boolean interactive;
  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal.") boolean tty;
  @Option(names = {"-u", "--user"}, description = "User: name|uid[:group|gid].") String user;
  @Option(names = {"-e", "--env"}, description = "Set an environment variable (NAME=VALUE, or NAME to pass ours).")
  List<String> env = new ArrayList<>();
  @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.") String workdir;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    ExecRequest request = new ExecRequest(command, HostConfigOptions.callerEnv(env), user, workdir, detach,
        interactive, tty);
    Session session = Session.current();
    Stdio stdio = new Stdio(session.stdin(), session.stdout(), session.stderr());
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE,
        () -> jocker.engine().operations().exec(container, request, stdio, SessionCaller.current()));
  }
}
