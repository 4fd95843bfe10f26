package org.jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.StateStore;

/**
 * Removes containers: a stopped (or, forced, a created, running or paused) one, and the leftover of
 * a create cut short. A created container is not stopped: deleting it without force is an error, as
 * the runtime spec says (runc 1.1 deletes it anyway).
 */
final class ContainerDeletion {
  private final RuntimeContext context;
  private final ContainerStatus status;

  ContainerDeletion(RuntimeContext context, ContainerStatus status) {
    this.context = context;
    this.status = status;
  }

  void delete(String id, boolean force) {
    StateStore store = context.store();
    Kernel kernel = context.kernel();
    LockFile.Held lock = store.lock(id);
    try {
      ContainerRecord record = store.load(id);
      Status now = status.status(record);
      if (now != Status.stopped && !force) {
        // runc's words
        throw new OciRuntimeException("cannot delete container " + id + " that is not stopped: " + now);
      }
      CgroupManager cgroup = context.cgroups().of(record);
      if (now != Status.stopped) {
        kernel.signal(record.pid(), record.pidStartTime(), Signal.SIGKILL.number());
        context.killAllQuietly(cgroup); // a paused container's too: killAll thaws it
      }
      if (kernel.startTime(record.monitorPid()) == record.monitorStartTime()) {
        kernel.awaitExit(record.monitorPid(), RuntimeContext.STOP_WAIT_MILLIS);
      }
      if (kernel.startTime(record.pid()) == record.pidStartTime()) {
        // no monitor left (handoff): wait for init
        kernel.awaitExit(record.pid(), RuntimeContext.STOP_WAIT_MILLIS);
      }
      context.destroyQuietly(cgroup);
      List<Spec.Hook> poststop = context.savedHooks(id, "poststop", Spec.Hooks::poststop);
      ContainerState stopped = status.state(record);
      store.removeDir(id);
      if (!poststop.isEmpty()) {
        context.warnings().addAll(context.hooks().runAll("poststop", poststop, context.stateJson(stopped)));
      }
    } finally {
      StateStore.closeLock(lock);
    }
  }

  /**
   * Removes what a create killed before it saved state.json left: the state directory, the cgroup
   * and the processes in it (an init waiting for a start that will never come; its monitor leaves
   * with it). Nothing if there is no such directory or its create is still running (holds the lock).
   */
  void removeIncomplete(String id) {
    StateStore store = context.store();
    if (!Files.isDirectory(store.dir(id)) || store.exists(id)) {
      return;
    }
    LockFile.Held lock;
    try {
      lock = store.tryLock(id);
    } catch (ContainerNotFoundException e) {
      return; // removed meanwhile
    }
    if (lock == null) {
      return;
    }
    try {
      if (store.exists(id)) {
        return; // its create ended well just before we looked
      }
      // Destroying the cgroup kills what is inside first.
      context.destroyQuietly(context.cgroups().of(incompleteCgroupsPath(id), id));
      FileTrees.deleteUnchecked(store.dir(id));
    } finally {
      StateStore.closeLock(lock);
    }
  }

  /** The cgroupsPath of a create that was cut short (null, the default, if unknown). */
  private String incompleteCgroupsPath(String id) {
    try {
      Spec spec = context.json().readValue(context.store().dir(id).resolve("config.json").toFile(), Spec.class);
      return spec.linux() == null ? null : spec.linux().cgroupsPath();
    } catch (IOException e) {
      return null; // not written (then neither was the cgroup made) or cut short
    }
  }
}
