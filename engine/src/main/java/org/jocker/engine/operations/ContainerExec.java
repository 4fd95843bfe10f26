package org.jocker.engine.operations;

import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.engine.attach.AttachedStreams;
import org.jocker.engine.attach.Caller;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.spec.ProcessSpecs;
import org.jocker.engine.spec.UserResolver;
import org.jocker.kernel.Terminal;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.ExecOptions;
import org.jocker.runtime.ExecProcess;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LaunchException;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;

/**
 * `exec`: a new process in a running container, with the container's process settings (env,
 * user, working directory, capabilities, rlimits, seccomp) and exec's overrides. It joins all the
 * container's namespaces and cgroups.
 */
public final class ContainerExec {
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerInspector inspector;
  private final Kernel kernel;

  public ContainerExec(ContainerRuntime runtime, ContainerStore containers, ContainerInspector inspector,
      Kernel kernel) {
    this.runtime = runtime;
    this.containers = containers;
    this.inspector = inspector;
    this.kernel = kernel;
  }

  /**
   * Runs the command; returns its exit code (0 at once with detach). Without a terminal it uses
   * stdio's descriptors directly; with one (-t) its monitor keeps the pty and the caller is
   * attached to it.
   */
  public int exec(ContainerRecord r, ExecRequest request, Stdio stdio, Caller caller) {
    if (request.command().isEmpty()) {
      throw EngineException.invalidArgument("exec requires at least 1 argument").checkedByClient();
    }
    ContainerInspector.Status status = inspector.status(r);
    if (status.status().equals("paused")) {
      throw EngineException.conflict("container " + r.id()
          + " is paused, unpause the container before exec");
    }
    if (!status.status().equals("running")) {
      throw EngineException.conflict("container " + r.id() + " is not running");
    }
    Spec spec = runtime.savedSpec(r.id());
    Spec.Process base = spec.process();
    Path rootfs = containers.bundle(r.id()).resolve("rootfs");
    Spec.User user = base.user();
    String home = null;
    if (request.user() != null && !request.user().isEmpty()) {
      UserResolver.ResolvedUser u;
      try {
        u = new UserResolver(rootfs).resolve(request.user());
      } catch (EngineException e) {
        throw EngineException.cannotInvoke(e, e.getMessage()); // Docker: the exec cannot be started
      }
      user = ProcessSpecs.user(u);
      home = u.home();
    }
    String cwd;
    try {
      cwd = ProcessSpecs.workdir(request.workdir() != null && !request.workdir().isEmpty() ? request.workdir()
          : base.cwd());
    } catch (EngineException e) {
      throw e.checkedByClient(); // Docker's client refuses it before it asks
    }
    boolean tty = request.tty() && !request.detach();
    // The container's env, exec's -e entries (later wins); HOME follows -u when not set by -e.
    ProcessSpecs.Environment environment = ProcessSpecs.environment().add(base.envOrEmpty());
    if (home != null) {
      environment.set("HOME", home);
    }
    List<String> env = environment.addOptions(request.env()).terminal(tty).entries();
    // The size is set before the program starts, so that it sees it at once.
    Spec.ConsoleSize size = !tty ? null : caller.terminal().stream().boxed().findFirst()
        .flatMap(Terminal::windowSize).map(w -> new Spec.ConsoleSize(w.rows(), w.columns())).orElse(null);
    Spec.Process process = new Spec.Process(tty, size, user, request.command(),
        env, cwd, base.capabilities(), base.rlimits(),
        base.noNewPrivileges(), base.apparmorProfile(), null, base.selinuxLabel());
    int stdin = request.interactive() ? -1 : kernel.openForReading(Path.of("/dev/null"));
    try {
      Stdio io = new Stdio(stdin >= 0 ? stdin : stdio.in(), stdio.out(), stdio.err());
      ExecProcess p = runtime.exec(r.id(), process,
          new ExecOptions(null, io, request.detach(), tty && request.interactive()));
      if (request.detach()) {
        return 0;
      }
      if (p.attachment() != null) {
        new AttachedStreams(true, request.interactive(), true).stream(kernel, p.attachment(), caller, null);
      }
      return runtime.awaitExec(p).code();
    } catch (LaunchException e) {
      throw LaunchFailures.error(e);
    } finally {
      if (stdin >= 0) {
        kernel.close(stdin);
      }
    }
  }
}
