package org.jocker.engine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jocker.engine.attach.DescriptorCaller;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.container.Names;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.image.ImageManager;
import org.jocker.engine.operations.ContainerOperations;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.engine.volume.VolumeStore;
import org.jocker.images.ImageService;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Change;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.reference.Reference;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.store.Image;
import org.jocker.kernel.MountInfo;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;

/**
 * Containers from images: the image service gives a root filesystem, the runtime runs it.
 * Everything lives under one root: images (content, images, snapshots) and containers.
 */
public final class Engine {
  private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final VolumeStore volumeStore;
  private final RestartStates restartStates;
  private ContainerLifecycle lifecycle;
  private Supplier<ExitCommand> exitCommand = () -> null;

  public Engine(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.volumeStore = new VolumeStore(containers.dir("").resolveSibling("volumes"));
    this.restartStates = new RestartStates(containers);
  }

  /**
   * How containers started from now on call this engine back when they exit (restart policies,
   * --rm of a detached container); without one, nothing happens when a container exits.
   */
  public Engine exitCommand(Supplier<ExitCommand> command) {
    this.exitCommand = memoized(command);
    return this;
  }

  ExitCommand exitCommand() {
    return exitCommand.get();
  }

  /** Made once, when the first container starts (not for every command). */
  private static Supplier<ExitCommand> memoized(Supplier<ExitCommand> command) {
    ExitCommand[] made = new ExitCommand[1];
    return () -> {
      synchronized (made) {
        if (made[0] == null) {
          made[0] = command.get();
        }
        return made[0];
      }
    };
  }

  RestartStates restartStates() {
    return restartStates;
  }

  /** `container cleanup`: what the monitor of an exited container runs. */
  public ContainerCleanup cleanup() {
    return new ContainerCleanup(this, runtime, containers, kernel);
  }

  /**
   * @param root the engine's data (images, containers)
   * @param runRoot the runtime's per-boot state (pids, monitor sockets)
   */
  public static Engine open(Path root, Path runRoot, Kernel kernel, Path launcher) {
    return new Engine(ImageService.open(root), new ContainerRuntime(runRoot, kernel, launcher),
        new ContainerStore(root.resolve("containers")), kernel);
  }

  public ImageService images() {
    return images;
  }

  /** The volume commands (`volume create/ls/inspect/rm/prune`). */
  public VolumeManager volumes() {
    return new VolumeManager(volumeStore, containers::list);
  }

  public ImageManager imageManager() {
    return new ImageManager(images, containers);
  }

  /** inspect, exec, top, stats, cp of existing containers. */
  public ContainerOperations operations() {
    return new ContainerOperations(images, runtime, containers, kernel);
  }

  /** `jocker run` in the foreground: returns the container's exit code. */
  public int run(RunOptions options, Stdio stdio) {
    return attacher().run(options, DescriptorCaller.of(kernel, stdio));
  }

  /** Foreground run, start -a, attach: a caller connected to a container. */
  public ContainerAttacher attacher() {
    return new ContainerAttacher(this, lifecycle(), runtime, containers, kernel);
  }

  /** create, start, stop, kill, wait, pause, rename, logs... */
  public ContainerLifecycle lifecycle() {
    if (lifecycle == null) {
      lifecycle = new ContainerLifecycle(this, images, runtime, containers, kernel);
    }
    return lifecycle;
  }

  /** `ps`: every container (running only, unless {@code all}), newest first. */
  public List<ContainerView> list(boolean all) {
    return list(all, ContainerFilter.NONE);
  }

  /** `ps --filter`: the containers that pass the filter, newest first (a status filter implies all). */
  public List<ContainerView> list(boolean all, ContainerFilter filter) {
    Instant before = filter.get("before").stream().map(c -> Instant.parse(find(c).created()))
        .reduce((a, b) -> a.isBefore(b) ? a : b).orElse(null);
    Instant since = filter.get("since").stream().map(c -> Instant.parse(find(c).created()))
        .reduce((a, b) -> a.isAfter(b) ? a : b).orElse(null);
    List<List<String>> ancestors = new ArrayList<>();
    for (String ref : filter.get("ancestor")) {
      try {
        ancestors.add(layers(images.images().resolve(ref)));
      } catch (RuntimeException e) {
        // Docker: an unknown image matches no container
      }
    }
    containers.ifNoChangeInProgress(this::removeLeftovers);
    boolean stopped = all || filter.showsStopped();
    List<ContainerView> out = new ArrayList<>();
    for (ContainerRecord r : containers.list()) {
      ContainerView v = view(r);
      boolean active = v.state().equals("running") || v.state().equals("paused") || v.state().equals("restarting");
      if (!stopped && !active) {
        continue;
      }
      if (filter == ContainerFilter.NONE || filter.matches(candidate(r, v, filter), before, since, ancestors)) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparing(ContainerView::created).reversed());
    return out;
  }

  /** What the filter looks at; the image's labels and layers only when it asks for them. */
  private ContainerFilter.Candidate candidate(ContainerRecord r, ContainerView v, ContainerFilter filter) {
    Optional<Image> image = Optional.empty();
    if (filter.has("label") || filter.has("label!") || filter.has("ancestor")) {
      try {
        image = images.images().find(Digest.parse(r.image()));
      } catch (RuntimeException e) {
        // its image is gone: only the container's own labels
      }
    }
    Map<String, String> labels = new HashMap<>();
    image.map(i -> images.config(i).value().config()).filter(c -> c != null && c.labels() != null)
        .ifPresent(c -> labels.putAll(c.labels()));
    labels.putAll(r.labels());
    return new ContainerFilter.Candidate(r, v, labels, image.map(this::layers).orElse(List.of()));
  }

  private List<String> layers(Image image) {
    return images.config(image).value().diffIds().stream().map(Object::toString).toList();
  }

  ContainerView view(ContainerRecord r) {
    String state = "created";
    int code = 0;
    String finished = null;
    try {
      ContainerState s = runtime.state(r.id());
      state = switch (s.status()) {
        case running -> "running";
        case paused -> "paused";
        case stopped -> restartStates.restarting(r, s.exitStatus(), kernel) ? "restarting" : "exited";
        default -> restartStates.restarting(r, null, kernel) ? "restarting" : "created";
      };
      if (s.exitStatus() != null) {
        code = s.exitStatus().code();
        finished = Instant.ofEpochSecond(0, s.exitStatus().finishedNanos()).toString();
      }
    } catch (ContainerNotFoundException e) {
      // never started by the runtime (or removed from it): Docker's "created", unless its restart
      // policy's cleanup is replacing the run
      state = restartStates.restarting(r, null, kernel) ? "restarting" : "created";
    }
    return new ContainerView(r.id(), r.name(), r.imageRef(), r.args(), r.created(), state, code, finished);
  }

  public ContainerRecord find(String idOrName) {
    return containers.find(idOrName).orElseThrow(
        () -> EngineException.notFound("No such container: " + idOrName));
  }

  /** `rm`: a running container only with force (it is killed first). */
  public void remove(String idOrName, boolean force) {
    // Under the store lock, then its own: a cleanup restarting it by its policy waits, then finds it gone.
    containers.locked(() -> {
      ContainerRecord r = find(idOrName);
      try (ContainerLock lock = ContainerLock.of(containers.dir(r.id()), idOrName)) {
        String state = view(r).state();
        if ((state.equals("running") || state.equals("paused") || state.equals("restarting")) && !force) {
          throw EngineException.conflict("cannot remove container \"" + idOrName + "\": container is " + state
              + ": stop the container before removing or force remove");
        }
        removeAll(r.id(), isMounted(r.id()));
      }
    });
  }

  /** `rm [-v]`: with {@code volumes}, also the container's anonymous volumes that nothing else uses. */
  public void remove(String idOrName, boolean force, boolean volumes) {
    ContainerRecord r = find(idOrName);
    remove(idOrName, force);
    if (volumes) {
      volumes().removeAnonymous(r);
    }
  }

  /** `diff`: A/C/D lines of what the container changed. */
  public List<Change> diff(String idOrName) {
    return images.changes(find(idOrName).id());
  }

  /** `export`: the container's root filesystem as a tar stream (a running one frozen meanwhile). */
  public void export(String idOrName, OutputStream out) {
    ContainerRecord r = find(idOrName);
    Path rootfs = containers.bundle(r.id()).resolve("rootfs");
    if (!isMounted(r.id())) {
      throw EngineException.conflict("container " + idOrName + " has no mounted root filesystem");
    }
    operations().whileFrozen(idOrName, true, () -> new LayerDiff().writeTar(rootfs, out));
  }

  /** `commit`: a new image from the container's changes (a running one frozen meanwhile); returns its ID. */
  public String commit(String idOrName, String ref, List<String> changes, String message, String author) {
    ContainerRecord r = find(idOrName);
    Image parent = images.images().find(Digest.parse(r.image()))
        .orElseThrow(() -> EngineException.notFound("the image of container " + idOrName + " is gone"));
    List<Reference> names = ref == null ? List.of() : List.of(Reference.parse(ref));
    return operations().whileFrozen(idOrName, true,
        () -> images.commit(r.id(), parent, changes, message, author, names)).id().toString();
  }

  /** `system df`: images and containers on disk. */
  public record DiskUsage(ImageService.DiskUsage images, int containers, int running, long containerBytes,
      long reclaimableContainerBytes) {}

  public DiskUsage diskUsage() {
    Set<Digest> inUse = new HashSet<>();
    int running = 0;
    long bytes = 0;
    long reclaimable = 0;
    List<ContainerView> all = list(true);
    for (ContainerView c : all) {
      ContainerRecord r = find(c.id());
      inUse.add(Digest.parse(r.image()));
      long own = images.rootfsBytes(c.id());
      bytes += own;
      if (c.state().equals("running") || c.state().equals("paused")) {
        running++;
      } else {
        reclaimable += own;
      }
    }
    return new DiskUsage(images.diskUsage(inUse), all.size(), running, bytes, reclaimable);
  }

  /** `container prune`: removes every container that is not running; returns their ids. */
  public List<String> pruneContainers() {
    return pruneContainers(ContainerFilter.NONE);
  }

  /** `container prune --filter label=...|label!=...|until=...`. */
  public List<String> pruneContainers(ContainerFilter filter) {
    return containers.locked(() -> pruneLocked(filter));
  }

  // Locks are taken in one order everywhere: the store's, then a container's.
  private List<String> pruneLocked(ContainerFilter filter) {
    List<String> removed = new ArrayList<>();
    for (ContainerView listed : list(true, filter)) {
      Optional<ContainerLock> lock = ContainerLock.ifPresent(containers.dir(listed.id()));
      if (lock.isEmpty()) {
        continue; // removed meanwhile
      }
      try (ContainerLock held = lock.get()) {
        String state = view(find(listed.id())).state();
        if (state.equals("exited") || state.equals("created")) {
          removeAll(listed.id(), isMounted(listed.id()));
          removed.add(listed.id());
        }
      }
    }
    return removed;
  }

  boolean isMounted(String id) {
    return MountInfo.isMountPoint(containers.bundle(id).resolve("rootfs"));
  }

  Image image(String ref) {
    try {
      return images.resolveOrProvide(ref);
    } catch (NotFoundException e) {
      String shown = Reference.isValid(ref) ? Reference.parse(ref).familiar() : ref;
      throw EngineException.of(EngineException.Kind.NOT_FOUND, e, "Unable to find image '" + shown
          + "' locally, and pulling from a registry"
          + " is not supported yet");
    }
  }

  String name(String requested) {
    Set<String> taken = new HashSet<>();
    containers.list().forEach(c -> taken.add(c.name()));
    if (requested == null) {
      return Names.generate(taken);
    }
    if (!VALID_NAME.matcher(requested).matches()) {
      throw EngineException.invalidArgument("Invalid container name (" + requested
          + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    if (taken.contains(requested)) {
      throw EngineException.conflict("Conflict. The container name \"/" + requested + "\" is already in use");
    }
    return requested;
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
        record.ifPresent(r -> volumes().removeAnonymous(r));
      }
    });
  }

  VolumeStore volumeStore() {
    return volumeStore;
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
      containers.removeRecord(id);
      removeFiles(id, mounted);
    });
  }

  /**
   * Finishes what killed commands left: container directories without a record (a create or rm
   * cut short) with their runtime state, rootfs mount and snapshot; and the runtime state of a start
   * cut short before the runtime saved it (a cgroup and an init waiting for a start that will not
   * come). Only while no change is in progress (holding the store lock), since both are also what a
   * create, rm or start under way looks like.
   */
  void removeLeftovers() {
    containers.locked(() -> {
      for (String id : containers.withoutRecord()) {
        try {
          removeFromRuntime(id);
          removeFiles(id, isMounted(id));
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
    });
  }

  private void removeFromRuntime(String id) {
    if (runtimeKnows(id)) {
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

  boolean runtimeKnows(String id) {
    try {
      runtime.state(id);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
