package org.jocker.runtime;

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
}
