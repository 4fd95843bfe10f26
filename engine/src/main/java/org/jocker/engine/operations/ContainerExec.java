package org.jocker.engine.operations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.engine.attach.AttachedStreams;
import org.jocker.engine.attach.Caller;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
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
    ContainerInspector.Status status = inspector.status(r.id());
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
      user = new Spec.User(u.uid(), u.gid(), null, u.additionalGids().isEmpty() ? null : u.additionalGids(), null);
      home = u.home();
    }
    String cwd = request.workdir() != null && !request.workdir().isEmpty() ? request.workdir() : base.cwd();
    if (!cwd.startsWith("/")) {
      throw EngineException.invalidArgument("the working directory '" + cwd
          + "' is invalid, it needs to be an absolute path").checkedByClient();
    }
    boolean tty = request.tty() && !request.detach();
    List<String> env = env(base.envOrEmpty(), request.env(), home);
    if (tty && env.stream().noneMatch(e -> e.startsWith("TERM="))) {
      env = new ArrayList<>(env);
      env.add("TERM=xterm");
    }
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

  /** The container's env, then exec's -e entries (later wins); HOME follows -u when not set by -e. */
  static List<String> env(List<String> container, List<String> extra, String home) {
    Map<String, String> env = new LinkedHashMap<>();
    container.forEach(e -> put(env, e));
    if (home != null) {
      env.put("HOME", home);
    }
    for (String e : extra) {
      if (!e.contains("=")) {
        String value = System.getenv(e);
        if (value == null) {
          continue;
        }
        e = e + "=" + value;
      }
      put(env, e);
    }
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static void put(Map<String, String> env, String entry) {
    int eq = entry.indexOf('=');
    if (eq > 0) {
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
  }
}
