package org.jocker.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;

/**
 * Long-running containers of one bundle, for measuring what each costs while it runs: deleted by
 * force on close, also the ones started before a failure.
 */
final class RunningContainers implements AutoCloseable {
  private final ContainerRuntime rt;
  private final List<String> ids = new ArrayList<>();

  RunningContainers(ContainerRuntime rt) {
    this.rt = rt;
  }

  /** Creates and starts containers PREFIX0 .. PREFIX(n-1). */
  void start(Path bundle, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String id = prefix + i;
      rt.create(id, bundle, CreateOptions.DEFAULT);
      ids.add(id);
      rt.start(id);
    }
  }

  List<String> ids() {
    return ids;
  }

  /** The pid of the container's init. */
  int init(String id) {
    return rt.state(id).pid();
  }

  /** The pid of the container's monitor: the parent of its init. */
  long monitor(String id) {
    return ProcessHandle.of(init(id)).flatMap(ProcessHandle::parent).orElseThrow().pid();
  }

  @Override
  public void close() {
    for (String id : ids) {
      try {
        rt.delete(id, true);
      } catch (RuntimeException e) {
        System.err.println("cleanup of " + id + ": " + e.getMessage());
      }
    }
  }
}
