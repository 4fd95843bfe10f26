package org.jocker.runtime;

import java.util.List;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.launch.MonitorClient;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.StateStore;

/** Starts a created container: its monitor lets the waiting init run the user's process. */
final class ContainerStart {
  private final RuntimeContext context;
  private final ContainerStatus status;

  ContainerStart(RuntimeContext context, ContainerStatus status) {
    this.context = context;
    this.status = status;
  }

  void start(String id) {
    StateStore store = context.store();
    LockFile.Held lock = store.lock(id);
    try {
      ContainerRecord record = store.load(id);
      Status now = status.status(record);
      if (now != Status.created) {
        throw new OciRuntimeException("cannot start container " + id + ": it is " + now
            + ", not created");
      }
      new MonitorClient(context.kernel(), store.dir(id)).start();
      List<Spec.Hook> poststart = context.savedHooks(id, "poststart", Spec.Hooks::poststart);
      if (!poststart.isEmpty()) {
        context.warnings().addAll(context.hooks().runAll("poststart", poststart,
            context.stateJson(status.state(record))));
      }
    } finally {
      StateStore.closeLock(lock);
    }
  }
}
