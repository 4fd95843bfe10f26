package org.jocker.engine.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.images.ImageService;
import org.jocker.images.snapshot.Mount;
import org.jocker.runtime.ContainerRuntime;

/**
 * rm, container prune, --rm, and finishing what killed commands left. Locks are taken in one order
 * everywhere: the store's, then a container's.
 */
public final class ContainerRemoval {
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerStates states;
  private final VolumeManager volumes;
  private final ContainerNetworking networking;
  private final BuildContainers builds;

  public ContainerRemoval(ImageService images, ContainerRuntime runtime, ContainerStore containers, ContainerStates states,
      VolumeManager volumes, ContainerNetworking networking, BuildContainers builds) {
    this.networking = networking;
    this.builds = builds;
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.states = states;
    this.volumes = volumes;
  }

  /** `rm`: a running container only with force (it is killed first). */
  public void remove(String idOrName, boolean force) {
    // Under the store lock, then its own: a cleanup restarting it by its policy waits, then finds it gone.
    containers.locked(() -> {
      ContainerRecord r = containers.get(idOrName);
      try (ContainerLock lock = ContainerLock.of(containers.dir(r.id()), idOrName)) {
        String state = states.view(r).state();
        if ((state.equals("running") || state.equals("paused") || state.equals("restarting")) && !force) {
          throw EngineException.conflict("cannot remove container \"" + idOrName + "\": container is " + state
              + ": stop the container before removing or force remove");
        }
        removeAll(r.id(), containers.isMounted(r.id()));
      }
    });
  }

  /** `container prune`: of the listed containers, removes those still exited or created; returns their ids. */
  public List<String> prune(List<ContainerView> listed) {
    List<String> removed = new ArrayList<>();
    for (ContainerView c : listed) {
      Optional<ContainerLock> lock = ContainerLock.ifPresent(containers.dir(c.id()));
      if (lock.isEmpty()) {
        continue; // removed meanwhile
      }
      try (ContainerLock held = lock.get()) {
        String state = states.view(containers.get(c.id())).state();
        if (state.equals("exited") || state.equals("created")) {
          removeAll(c.id(), containers.isMounted(c.id()));
          removed.add(c.id());
        }
      }
    }
    return removed;
  }

  /** --rm, or a create that failed: the container and its anonymous volumes. */
  void autoRemove(String id, boolean mounted) {
    containers.locked(() -> {
      Optional<ContainerLock> lock = ContainerLock.ifPresent(containers.dir(id));
      if (lock.isEmpty()) {
        return; // removed already (the foreground run and the cleanup both remove a --rm container)
      }
      try (ContainerLock held = lock.get()) {
        Optional<ContainerRecord> record = containers.find(id);
        removeAll(id, mounted);
        record.ifPresent(volumes::removeAnonymous);
      }
    });
  }

  /**
   * Removes everything of a container, in the order that keeps a killed rm harmless: the runtime's
   * container (processes, cgroup, state) while the record still names it, then the record (the
   * container is gone), then its rootfs mount, snapshot and directory, which any later command
   * finishes removing if this one is killed (see {@link #removeLeftovers}).
   */
  void removeAll(String id, boolean mounted) {
    containers.locked(() -> {
      removeFromRuntime(id);
      disconnect(id);
      containers.removeRecord(id);
      removeFiles(id, mounted);
    });
  }

  /**
   * Finishes what killed commands left: container directories without a record (a create or rm
   * cut short) with their runtime state, rootfs mount and snapshot; and the runtime state of a start
   * cut short before the runtime saved it (a cgroup and an init waiting for a start that will not
   * come). Only while no change is in progress (holding the store lock), since both are also what a
   * create, rm or start under way looks like. Then the sandboxes of killed builds (their RUN
   * containers have no record: see {@link BuildContainers#removeLeftovers}), so that the command
   * users run after a killed build or engine (ps, run) removes what it left, not only the next build.
   */
  public void removeLeftovers() {
    containers.locked(() -> {
      for (String id : containers.withoutRecord()) {
        try {
          removeFromRuntime(id);
          removeFiles(id, containers.isMounted(id));
        } catch (RuntimeException e) {
          // left for the next command: a leftover must not make ps or create fail
        }
      }
      for (ContainerRecord r : containers.list()) {
        try {
          runtime.removeIncomplete(r.id());
        } catch (RuntimeException e) {
          // likewise
        }
      }
      // Endpoints whose container is gone or not running (a teardown lost with a killed process),
      // or on a network the running container's record does not list (a connect or disconnect cut short).
      networking.disconnectStale(id -> containers.find(id).filter(r -> states.view(r).running())
          .map(r -> r.networks().keySet()));
    });
    builds.removeLeftovers();
  }

  /** The container's network endpoint; one that cannot be torn down now is left for a later command. */
  private void disconnect(String id) {
    try {
      networking.disconnect(id);
    } catch (RuntimeException e) {
      // its record stays: removeLeftovers tries again
    }
  }

  private void removeFromRuntime(String id) {
    if (states.runtimeKnows(id)) {
      runtime.delete(id, true);
    } else {
      runtime.removeIncomplete(id);
    }
  }

  private void removeFiles(String id, boolean mounted) {
    if (mounted) {
      Mount.unmount(containers.bundle(id).resolve("rootfs"));
    }
    images.removeRootfs(id);
    containers.remove(id);
  }
}
