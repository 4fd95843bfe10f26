package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.logs.JsonFileLog;
import org.jocker.engine.logs.LogOptions;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.spec.LogSettings;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.state.ContainerState.Status;

/** `logs`: what the container wrote, from its json-file log; with follow, until it has exited. */
public final class ContainerLogs {
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final LogLimits logLimits;

  public ContainerLogs(ContainerRuntime runtime, ContainerStore containers, LogLimits logLimits) {
    this.runtime = runtime;
    this.containers = containers;
    this.logLimits = logLimits;
  }

  public void logs(String idOrName, LogOptions options, LogSink sink) {
    ContainerRecord r = containers.get(idOrName);
    if (logLimits.of(r).type().equals(LogSettings.NONE)) {
      throw EngineException.invalidArgument("configured logging driver does not support reading");
    }
    new JsonFileLog(containers.log(r.id())).read(options, sink, () -> exited(r.id()));
  }

  /**
   * Whether the container has exited and its monitor has written all its output to the log: init
   * may be gone (the runtime says stopped) while the monitor still drains the pipes, so wait for it.
   */
  private boolean exited(String id) {
    try {
      if (runtime.state(id).status() != Status.stopped) {
        return false;
      }
      runtime.awaitExit(id, 10_000);
      return true;
    } catch (RuntimeException e) {
      return true; // removed
    }
  }
}
