package org.jocker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.kernel.FileTrees;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Attachment;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.launch.MonitorClient;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.plan.ExecPlan;
import org.jocker.runtime.plan.InvalidSpecException;
import org.jocker.runtime.plan.SpecValidator;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;

/**
 * Starts processes in running containers (they join the init's namespaces and cgroups and get the
 * container's seccomp filter), each with its own monitor and state directory under the container's.
 */
final class ExecLauncher {
  private final RuntimeContext context;
  private final ContainerStatus status;
  private final SpecValidator validator;
  private final SeccompCache seccomp;

  ExecLauncher(RuntimeContext context, ContainerStatus status, SpecValidator validator, SeccompCache seccomp) {
    this.context = context;
    this.status = status;
    this.validator = validator;
    this.seccomp = seccomp;
  }

  ExecProcess exec(String id, Spec.Process process, ExecOptions options) {
    Kernel kernel = context.kernel();
    ContainerRecord record = context.store().load(id);
    Status now = status.status(record);
    if (now == Status.paused && !options.ignorePaused()) {
      // runc's words: engines match them
      throw new OciRuntimeException("cannot exec in a paused container " + id + " (use --ignore-paused to override)");
    }
    // runc execs into a created container too: its init waits in its namespaces, already set up
    if (now != Status.running && now != Status.created && now != Status.paused) {
      throw new OciRuntimeException("container " + id + " is not running (" + now + ")");
    }
    validator.validateProcess(process);
    if (process.isTerminal() && options.consoleSocket() == null && options.detach()) {
      throw new InvalidSpecException("process.terminal", "a terminal needs --console-socket");
    }
    Spec spec = context.savedSpec(id);
    List<NamespaceType> namespaces = new ArrayList<>();
    if (spec.linux() != null && spec.linux().namespaces() != null) {
      spec.linux().namespaces().forEach(ns -> namespaces.add(NamespaceType.fromSpecName(ns.type()).orElseThrow()));
    }
    SeccompFilter filter = seccomp.filterFor(spec);
    Map<String, Path> cgroupDirs =
        ExecSubCgroups.resolve(ContainerCgroups.directoriesByName(context.cgroups().of(record)), options.subCgroups());
    Path dir = context.store().dir(id).resolve("exec").resolve(Long.toHexString(System.nanoTime()));
    Launcher.Launched launched = null;
    Attachment attachment = null;
    try {
      Files.createDirectories(dir);
      byte[] plan = new ExecPlan(process, record.pid(), namespaces, cgroupDirs, dir,
          filter == null ? new byte[0] : filter.program().bytes(), filter == null ? 0 : filter.flags(),
          options.consoleSocket(), options.detach(), options.openStdin(), options.relayTerminal(),
          SeccompAgentState.forExec(context.json(), spec, filter, id, record.bundle(), record.pid())).encode();
      launched = context.launcher().launch(plan, options.stdio(), pid -> {
        throw new IllegalStateException("an exec plan never pauses for hooks");
      });
      // Attached before start, so that no output is missed (a relayed terminal's goes to stdio).
      boolean monitorTerminal = process.isTerminal() && options.consoleSocket() == null && !options.relayTerminal();
      attachment = options.openStdin() || monitorTerminal ? Attachment.open(kernel, dir) : null;
      new MonitorClient(kernel, dir).start();
      ExecProcess exec = new ExecProcess(id, launched.pid(), launched.monitorPid(),
          kernel.startTime(launched.monitorPid()), dir, attachment);
      if (options.detach()) {
        kernel.awaitExit(launched.monitorPid(), RuntimeContext.STOP_WAIT_MILLIS); // leaves right after start
        deleteTree(dir);
      }
      return exec;
    } catch (RuntimeException | IOException e) {
      if (attachment != null) {
        attachment.close();
      }
      context.abandon(launched);
      deleteTree(dir);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** Waits for a process started by {@link #exec} without detach; returns how it ended. */
  ExitStatus awaitExec(ExecProcess exec) {
    Kernel kernel = context.kernel();
    if (kernel.startTime(exec.monitorPid()) == exec.monitorStartTime()) {
      kernel.awaitExit(exec.monitorPid(), -1);
    }
    try {
      return ExitStatus.read(exec.stateDir().resolve("exit"))
          .orElseThrow(() -> new OciRuntimeException("exec in " + exec.containerId() + ": exit status unknown"));
    } finally {
      deleteTree(exec.stateDir());
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.deleteUnchecked(dir);
    } catch (UncheckedIOException e) {
      // removed with the container at the latest
    }
  }
}
