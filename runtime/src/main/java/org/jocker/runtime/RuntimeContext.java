package org.jocker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Function;
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
      return SavedSpecs.read(store.dir(id).resolve("config.json"), json);
    } catch (IOException e) {
      throw new OciRuntimeException("container " + id + ": saved config unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * The saved config's hooks of one phase ({@code name}, picked by {@code phase}). The config is
   * parsed only when it names that phase: it is this runtime's own serialization (no escaped
   * keys), and parsing all of it, its seccomp profile above all, costs more than the rest of a
   * start or delete.
   */
  List<Spec.Hook> savedHooks(String id, String name, Function<Spec.Hooks, List<Spec.Hook>> phase) {
    try {
      if (!Files.readString(store.dir(id).resolve("config.json")).contains("\"" + name + "\"")) {
        return List.of();
      }
    } catch (IOException e) {
      // savedSpec reports it
    }
    Spec.Hooks hooks = savedSpec(id).hooks();
    List<Spec.Hook> selected = hooks == null ? null : phase.apply(hooks);
    return selected == null ? List.of() : selected;
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
