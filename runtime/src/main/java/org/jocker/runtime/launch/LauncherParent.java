package org.jocker.runtime.launch;

import java.util.List;
import org.jocker.runtime.kernel.Kernel;

/**
 * The process the launcher is started as a child of. Engines that drive runc expect a container to
 * descend from the process that ran {@code create}, {@code run} or {@code exec}: podman's conmon
 * reaps it as its subreaper, and the container starts with that process's rlimits and cgroup. In a
 * fresh JVM that process is this one ({@link #thisProcess}); when the resident engine serves the
 * command, it is the native client that handed the command over, which spawns the launcher on the
 * engine's behalf.
 */
public interface LauncherParent {
  /** The parent's pid: whose descriptors, rlimits and capabilities the launcher inherits. */
  long pid();

  /**
   * Starts {@code path} with {@code argv} and an empty environment, as a child of the parent whose
   * descriptor i is {@code fds.get(i)}. Returns its pid.
   */
  int spawn(String path, List<String> argv, List<ChildFd> fds);

  /** Waits for the spawned launcher to exit (it does as soon as it has forked the monitor). */
  void reap(int pid);

  /** This JVM as the launcher's parent. */
  static LauncherParent thisProcess(Kernel kernel) {
    return new ThisProcess(kernel);
  }

  /** A descriptor the child gets: one of this JVM's, or one of the parent's own. */
  record ChildFd(boolean parents, int fd) {
    public static ChildFd ours(int fd) {
      return new ChildFd(false, fd);
    }

    /** The parent's own descriptor {@code fd} (its stdio, runc's --preserve-fds). */
    public static ChildFd parents(int fd) {
      return new ChildFd(true, fd);
    }
  }
}
