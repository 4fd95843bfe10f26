package org.jocker.runtime.launch;

import java.util.List;
import org.jocker.runtime.kernel.Kernel;

/** This JVM as the launcher's parent: its own descriptors are the parent's. */
final class ThisProcess implements LauncherParent {
  private final Kernel kernel;

  ThisProcess(Kernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public int spawn(String path, List<String> argv, List<ChildFd> fds) {
    int[] ours = new int[fds.size()];
    for (int i = 0; i < ours.length; i++) {
      ChildFd fd = fds.get(i);
      ours[i] = fd.parents() && fd.fd() == i ? -1 : fd.fd(); // -1: the child inherits it as it is
    }
    return kernel.spawn(path, argv, List.of(), ours);
  }

  @Override
  public void reap(int pid) {
    kernel.waitPid(pid);
  }
}
