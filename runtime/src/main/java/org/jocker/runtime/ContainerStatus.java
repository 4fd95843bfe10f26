package org.jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;

/** A container's OCI state, its status read from the kernel each time (never from a cached field). */
final class ContainerStatus {
  private final RuntimeContext context;

  ContainerStatus(RuntimeContext context) {
    this.context = context;
  }

  ContainerState state(String id) {
    return state(context.store().load(id));
  }

  /** Every container's state, its owner the user owning its state directory (as runc's list). */
  List<ContainerState> list() {
    List<ContainerState> all = new ArrayList<>();
    for (String id : context.store().ids()) {
      try {
        ContainerState s = state(id);
        all.add(new ContainerState(s.ociVersion(), s.id(), s.status(), s.pid(), s.bundle(), s.rootfs(),
            s.created(), Files.getOwner(context.store().dir(id)).getName(), s.annotations(), s.exitStatus()));
      } catch (OciRuntimeException | KernelException | IOException e) {
        // deleted while we listed
      }
    }
    return all;
  }

  ContainerState state(ContainerRecord r) {
    Optional<ExitStatus> exit = ExitStatus.read(context.store().dir(r.id()).resolve("exit"));
    Status status = exit.isPresent() ? Status.stopped : status(r);
    return new ContainerState(r.ociVersion(), r.id(), status, status == Status.stopped ? 0 : r.pid(),
        r.bundle(), r.rootfs(), r.created(), "", r.annotations(), exit.orElse(null));
  }

  /** The truth from the kernel: alive? still the launcher (created)? frozen (paused)? */
  Status status(ContainerRecord r) {
    if (Files.exists(context.store().dir(r.id()).resolve("exit"))
        || context.kernel().startTime(r.pid()) != r.pidStartTime()) {
      return Status.stopped;
    }
    if (stillLauncher(r.pid())) {
      return Status.created;
    }
    return context.cgroups().of(r).isFrozen() ? Status.paused : Status.running;
  }

  private static boolean stillLauncher(int pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().contains("jocker-launcher");
    } catch (IOException e) {
      return false;
    }
  }
}
