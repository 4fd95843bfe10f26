package org.jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ExitStatus;

/** Waits for a container's init to exit: its monitor leaves after writing the exit file. */
final class ContainerExit {
  private final RuntimeContext context;

  ContainerExit(RuntimeContext context) {
    this.context = context;
  }

  ExitStatus await(String id) {
    ContainerRecord record = context.store().load(id);
    Kernel kernel = context.kernel();
    if (kernel.startTime(record.monitorPid()) == record.monitorStartTime()) {
      kernel.awaitExit(record.monitorPid(), -1);
    }
    return ExitStatus.read(context.store().dir(id).resolve("exit"))
        .orElseThrow(() -> new OciRuntimeException("container " + id + ": exit status unknown (monitor gone)"));
  }

  Optional<ExitStatus> await(String id, long timeoutMillis) {
    ContainerRecord record = context.store().load(id);
    Kernel kernel = context.kernel();
    if (kernel.startTime(record.monitorPid()) == record.monitorStartTime()
        && !kernel.awaitExit(record.monitorPid(), timeoutMillis)) {
      return Optional.empty();
    }
    return ExitStatus.read(context.store().dir(id).resolve("exit"));
  }

  /**
   * The OOM kill count the monitor recorded ("oom_kill", where it watched memory.events: a
   * systemd scope, whose cgroup goes away with its last process); 0 if none.
   */
  long recordedOomKills(String id) {
    try {
      return Long.parseLong(Files.readString(context.store().dir(id).resolve("oom_kill")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0; // none recorded (the file is written by rename, so never partial)
    }
  }
}
