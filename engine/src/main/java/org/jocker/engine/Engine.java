package org.jocker.engine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jocker.engine.attach.DescriptorCaller;
import org.jocker.engine.container.ContainerFilter;
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
import org.jocker.images.layer.Change;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;

/**
 * Containers from images: the image service gives a root filesystem, the runtime runs it.
 * Everything lives under one root: images (content, images, snapshots) and containers.
 */
public final class Engine {
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final VolumeStore volumeStore;
  private final RestartStates restartStates;
  private final ContainerStates states;
  private final ContainerRemoval removal;
  private final ContainerListing listing;
  private ContainerLifecycle lifecycle;
  private Supplier<ExitCommand> exitCommand = () -> null;

  public Engine(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.volumeStore = new VolumeStore(containers.dir("").resolveSibling("volumes"));
    this.restartStates = new RestartStates(containers);
    this.states = new ContainerStates(runtime, restartStates, kernel);
    this.removal = new ContainerRemoval(images, runtime, containers, states, volumes());
    this.listing = new ContainerListing(images, containers, states, removal);
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
    return listing.list(all, filter);
  }

  ContainerView view(ContainerRecord r) {
    return states.view(r);
  }

  public ContainerRecord find(String idOrName) {
    return containers.get(idOrName);
  }

  /** `rm`: a running container only with force (it is killed first). */
  public void remove(String idOrName, boolean force) {
    removal.remove(idOrName, force);
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
    return changes().diff(idOrName);
  }

  /** `export`: the container's root filesystem as a tar stream (a running one frozen meanwhile). */
  public void export(String idOrName, OutputStream out) {
    changes().export(idOrName, out);
  }

  /** `commit`: a new image from the container's changes (a running one frozen meanwhile); returns its ID. */
  public String commit(String idOrName, String ref, List<String> changes, String message, String author) {
    return changes().commit(idOrName, ref, changes, message, author);
  }

  private ContainerChanges changes() {
    return new ContainerChanges(images, containers, operations());
  }

  /** `system df`: images and containers on disk. */
  public record DiskUsage(ImageService.DiskUsage images, int containers, int running, long containerBytes,
      long reclaimableContainerBytes) {}

  public DiskUsage diskUsage() {
    return new DiskUsageCounter(images, containers).count(list(true));
  }

  /** `container prune`: removes every container that is not running; returns their ids. */
  public List<String> pruneContainers() {
    return pruneContainers(ContainerFilter.NONE);
  }

  /** `container prune --filter label=...|label!=...|until=...`. */
  public List<String> pruneContainers(ContainerFilter filter) {
    return containers.locked(() -> removal.prune(listing.list(true, filter)));
  }

  boolean isMounted(String id) {
    return containers.isMounted(id);
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
    return Names.choose(requested, taken);
  }

  /** --rm, or a create that failed: the container and its anonymous volumes. */
  void autoRemove(String id, boolean mounted) {
    removal.autoRemove(id, mounted);
  }

  VolumeStore volumeStore() {
    return volumeStore;
  }

  /** Everything of a container, in the order that keeps a killed rm harmless. */
  void removeAll(String id, boolean mounted) {
    removal.removeAll(id, mounted);
  }

  /** Finishes what killed commands left (while no change is in progress). */
  void removeLeftovers() {
    removal.removeLeftovers();
  }

  boolean runtimeKnows(String id) {
    return states.runtimeKnows(id);
  }
}
