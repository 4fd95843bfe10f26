package org.jocker.runtime;

import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState.Status;

/** Sends signals to a container's init, to every process in its cgroup, or to a monitor. */
final class ContainerSignals {
  private final RuntimeContext context;
  private final ContainerStatus status;

  ContainerSignals(RuntimeContext context, ContainerStatus status) {
    this.context = context;
    this.status = status;
  }

  void kill(String id, int signal, boolean all) {
    ContainerRecord record = context.store().load(id);
    boolean stopped = status.status(record) == Status.stopped;
    if (stopped && !all) {
      throw new OciRuntimeException("container " + id + " is not running");
    }
    // As runc: --all of a stopped container signals what is left in its cgroup (processes that
    // shared the host's pid namespace outlive the init), which may be nothing; not an error.
    if (all && stopped) {
      for (long pid : context.cgroups().of(record).pids()) {
        context.kernel().signal((int) pid, -1, signal);
      }
    } else if (all && signal == Signal.SIGKILL.number()) {
      context.cgroups().of(record).killAll(); // cgroup.kill where the kernel has it: no fork escapes
    } else if (all) {
      for (long pid : context.cgroups().of(record).pids()) {
        context.kernel().signal((int) pid, -1, signal);
      }
    } else if (!context.kernel().signal(record.pid(), record.pidStartTime(), signal)) {
      throw new OciRuntimeException("container " + id + " is not running");
    }
  }

  /** To the container's monitor, if it is still there; see {@link ContainerRuntime#forwardSignal}. */
  void toMonitor(String id, int signal) {
    ContainerRecord record = context.store().load(id);
    context.kernel().signal(record.monitorPid(), record.monitorStartTime(), signal);
  }

  /** To an exec'd process's monitor, if it is still there. */
  void toMonitor(ExecProcess exec, int signal) {
    context.kernel().signal(exec.monitorPid(), exec.monitorStartTime(), signal);
  }
}
