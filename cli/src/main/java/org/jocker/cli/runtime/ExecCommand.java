package org.jocker.cli.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.session.Session;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.ExecOptions;
import org.jocker.runtime.ExecProcess;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.spec.Spec;
import org.jocker.kernel.Durable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Run a process in a running container; without -d, exit with its code.")
final class ExecCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Parameters(index = "1..*", paramLabel = "ARGS") List<String> args = new ArrayList<>();
  @Option(names = {"-p", "--process"}, description = "The process as JSON (config.json's process).") Path processFile;
  @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal.") boolean tty;
  @Option(names = "--console-socket", description = "Unix socket to receive the pty master.") String consoleSocket;
  @Option(names = "--cwd", description = "Working directory.") String cwd;
  @Option(names = {"-e", "--env"}, description = "NAME=VALUE to add.") List<String> env = new ArrayList<>();
  @Option(names = {"-u", "--user"}, description = "UID[:GID].") String user;
  @Option(names = {"-g", "--additional-gids"}, description = "Additional group ids.") List<Long> additionalGids = new ArrayList<>();
  @Option(names = {"-c", "--cap"}, description = "Capability to add.") List<String> caps = new ArrayList<>();
  @Option(names = "--no-new-privs", description = "Set no_new_privs.") boolean noNewPrivs;
  @Option(names = {"-d", "--detach"}, description = "Do not wait for the process.") boolean detach;
  @Option(names = "--pid-file", description = "Write the process's pid here.") Path pidFile;
  @Option(names = "--ignore-paused", description = "Exec into a paused container too (the process starts once it resumes).")
  boolean ignorePaused;
  @Option(names = "--preserve-fds", paramLabel = "N", description = "Pass our descriptors 3 to 3+N-1 to the process.")
  int preserveFds;
  @Option(names = "--cgroup", paramLabel = "[CONTROLLER[,CONTROLLER]:]PATH",
      description = "Join this existing sub-cgroup of the container's (for those controllers).")
  List<String> subCgroups;

  @Override
  int execute() throws IOException {
    ContainerRuntime rt = runtime();
    Spec.Process process = processFile != null ? read(callers(processFile)) : fromFlags(rt.savedSpec(id).process());
    ConsoleRule.check(process, detach, consoleSocket);
    // As runc: without a console socket the terminal is the caller's (the monitor relays it).
    boolean relay = !detach && consoleSocket == null && process.isTerminal();
    ExecProcess exec = rt.exec(id, process,
        new ExecOptions(callers(consoleSocket), PreservedFds.stdio(preserveFds), detach, false, relay, ignorePaused,
            subCgroups));
    if (pidFile != null) {
      Durable.writeUnchecked(callers(pidFile), Integer.toString(exec.pid()).getBytes());
    }
    if (detach) {
      return 0;
    }
    // The caller's signals are for the process (SIGWINCH: a relayed terminal follows the caller's window size).
    try (Session.Subscription _ = Session.current().onSignals(sig -> rt.forwardSignal(exec, sig))) {
      return rt.awaitExec(exec).code();
    }
  }

  /** As runc: an exec that fails before its process runs exits 255, kept apart from the process's codes. */
  @Override
  public int exitCode() {
    return ExitCodes.EXEC_FAILED;
  }

  /** Bad flags are any command's usage error (runc's 1). */
  @Override
  public int usageExitCode() {
    return parent.exitCode();
  }

  private static Spec.Process read(Path file) throws IOException {
    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(file.toFile(), Spec.Process.class);
  }

  /** The container's own process settings, with the arguments and flags given here. */
  private Spec.Process fromFlags(Spec.Process base) {
    if (args.isEmpty()) {
      throw new OciRuntimeException("exec: no command given (ARGS or --process)");
    }
    List<String> allEnv = new ArrayList<>(base.envOrEmpty());
    allEnv.addAll(env);
    Spec.User u = base.user();
    if (user != null) {
      String[] parts = user.split(":", 2);
      try {
        u = new Spec.User(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0L,
            null, additionalGids.isEmpty() ? null : additionalGids, null);
      } catch (NumberFormatException e) {
        throw new OciRuntimeException("exec: --user must be UID[:GID], got \"" + user + "\"");
      }
    }
    Spec.Capabilities c = base.capabilities();
    if (c != null && !caps.isEmpty()) {
      c = new Spec.Capabilities(plus(c.bounding()), plus(c.effective()), plus(c.inheritable()),
          plus(c.permitted()), c.ambient());
    }
    return new Spec.Process(tty, null, u, args, allEnv, cwd != null ? cwd : base.cwd(), c,
        base.rlimits(), noNewPrivs || Boolean.TRUE.equals(base.noNewPrivileges()), null,
        base.oomScoreAdj(), null);
  }

  private List<String> plus(List<String> set) {
    List<String> all = new ArrayList<>(set == null ? List.of() : set);
    for (String cap : caps) {
      if (!all.contains(cap)) {
        all.add(cap);
      }
    }
    return all;
  }
}
