package org.jocker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.hooks.HookRunner;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.StateStore;

/**
 * What the operations of one {@link ContainerRuntime} share. {@code warnings} collects the failures
 * that do not stop the lifecycle (poststart and poststop hooks, a cgroup left behind).
 */
record RuntimeContext(StateStore store, Kernel kernel, Launcher launcher, ObjectMapper json,
    ContainerCgroups cgroups, HookRunner hooks, List<String> warnings) {
  /** How long to wait for a killed process to go before giving up on it. */
  static final long STOP_WAIT_MILLIS = 10_000;

  byte[] stateJson(ContainerState state) {
    try {
      return json.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The config a container was created with. */
  Spec savedSpec(String id) {
    if (!store.exists(id)) {
      throw new ContainerNotFoundException(id);
    }
    try {
      return json.readValue(store.dir(id).resolve("config.json").toFile(), Spec.class);
    } catch (IOException e) {
      throw new OciRuntimeException("container " + id + ": saved config unreadable: " + e.getMessage(), e);
    }
  }

  /** Destroys a container's cgroup; a failure is a warning (the container is gone anyway). */
  void destroyQuietly(CgroupManager cgroup) {
    try {
      cgroup.destroy();
    } catch (RuntimeException e) {
      warnings.add(e.getMessage());
    }
  }

  /**
   * Kills every process of a container's cgroup; a failure is a warning (its destroy, which kills
   * again, then reports what is left).
   */
  void killAllQuietly(CgroupManager cgroup) {
    try {
      cgroup.killAll();
    } catch (RuntimeException e) {
      warnings.add(e.getMessage());
    }
  }

  /** Kills a process whose launch failed half-way, and waits for its monitor to go. */
  void abandon(Launcher.Launched launched) {
    if (launched != null) {
      kernel.signal(launched.pid(), -1, Signal.SIGKILL.number());
      kernel.awaitExit(launched.monitorPid(), STOP_WAIT_MILLIS);
    }
  }
}
