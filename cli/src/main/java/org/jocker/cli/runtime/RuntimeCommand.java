package org.jocker.cli.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.ErrorSink;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.session.Session;
import org.jocker.runtime.CgroupDriver;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `jocker runtime`: the OCI runtime with runc's command line, so that engines which drive runc
 * (podman, containerd) can drive Jocker. `bin/jocker-runtime` is this command on its own.
 */
@Command(
    name = "runtime",
    description = "OCI runtime with runc's command line.",
    versionProvider = RuntimeVersion.class,
    subcommands = {CreateCommand.class, StartCommand.class, StateCommand.class, KillCommand.class,
        DeleteCommand.class, RunCommand.class, ExecCommand.class, ListCommand.class, PsCommand.class, PauseCommand.class,
        ResumeCommand.class, UpdateCommand.class, EventsCommand.class, FeaturesCommand.class, SpecCommand.class})
public final class RuntimeCommand implements Callable<Integer>, ErrorSink {
  /** urfave/cli's exit code (runc's command line) for `-h` of a command that does not exist. */
  private static final int HELP_TOPIC_UNKNOWN = 3;

  @Spec CommandSpec spec;

  /** Not picocli's usageHelp, which would show the usage for `foo -h` too; see {@link #call}. */
  @Option(names = {"-h", "--help"}, description = "Show this help message and exit.")
  boolean help;

  /** Words that are no command: `foo -h` is runc's "No help topic for 'foo'". */
  @Parameters(hidden = true, arity = "0..*")
  List<String> unknown;

  @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  @Option(names = "--root", description = "State directory (default: ${DEFAULT-VALUE}).")
  Path root = Path.of("/run/jocker-runtime");

  @Option(names = "--log", description = "Also write errors to this file.")
  Path log;

  @Option(names = "--log-format", description = "text or json (default: ${DEFAULT-VALUE}).")
  String logFormat = "text";

  @Option(names = "--debug", description = "Show stack traces of errors.")
  boolean debug;

  @Option(names = "--systemd-cgroup",
      description = "New containers' cgroups are systemd scopes (linux.cgroupsPath slice:prefix:name).")
  boolean systemdCgroup;

  @Option(names = {"--rootless", "--criu"}, hidden = true, arity = "0..1",
      description = "Accepted for runc compatibility; ignored.")
  String ignored;

  private ContainerRuntime runtime;

  @Override
  public Integer call() {
    if (unknown != null && !unknown.isEmpty()) {
      // runc's answers (urfave/cli's): exit 3 for a help topic that does not exist
      String word = unknown.getFirst();
      System.err.println(help ? "No help topic for '" + word + "'"
          : "jocker-runtime: \"" + word + "\" is not a command; see 'jocker-runtime --help'");
      return help ? HELP_TOPIC_UNKNOWN : ExitCodes.RUNTIME_ERROR;
    }
    if (help) {
      spec.commandLine().usage(System.out);
      return 0;
    }
    spec.commandLine().usage(System.err);
    return ExitCodes.RUNTIME_ERROR;
  }

  /** Forgets the runtime of the last command (its --root), before the model serves another. */
  public void reset() {
    runtime = null;
  }

  ContainerRuntime runtime() {
    if (systemdCgroup && !CgroupDriver.systemdRunning()) {
      throw new OciRuntimeException("--systemd-cgroup: systemd is not running on this host"
          + " (/run/systemd/system is missing); leave the option out to use cgroupfs");
    }
    if (runtime == null) {
      Kernel kernel = new LinuxKernel();
      Session caller = Session.current();
      // The launcher is the caller's child (the native client's, when the engine serves this).
      runtime = new ContainerRuntime(caller.path(root.toString()), kernel, ContainerRuntime.launcherBinary(),
          caller.launcherParent(kernel), systemdCgroup ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS);
    }
    return runtime;
  }

  /** Prints hook warnings the runtime collected, as runc logs them. */
  void flushWarnings() {
    if (runtime != null) {
      runtime.drainWarnings().forEach(w -> report("warning", w));
    }
  }

  @Override
  public void error(String command, String message, Throwable cause) {
    report("error", message);
    if (debug) {
      cause.printStackTrace();
    }
  }

  @Override
  public int exitCode() {
    return ExitCodes.RUNTIME_ERROR;
  }

  private void report(String level, String message) {
    System.err.println("jocker-runtime: " + (level.equals("error") ? "" : level + ": ") + message);
    if (log == null) {
      return;
    }
    String line;
    if (logFormat.equals("json")) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("level", level);
      entry.put("msg", message);
      entry.put("time", Instant.now().toString());
      try {
        line = new ObjectMapper().writeValueAsString(entry);
      } catch (IOException e) {
        return;
      }
    } else {
      line = "time=\"" + Instant.now() + "\" level=" + level + " msg=\"" + message.replace("\"", "\\\"") + "\"";
    }
    try {
      Files.writeString(Session.current().path(log.toString()), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      System.err.println("jocker-runtime: cannot write log " + log + ": " + e.getMessage());
    }
  }
}
