package org.jocker.engine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jocker.engine.attach.DescriptorCaller;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.image.ImageManager;
import org.jocker.engine.lifecycle.ContainerAttacher;
import org.jocker.engine.lifecycle.ContainerCleanup;
import org.jocker.engine.lifecycle.ContainerLifecycle;
import org.jocker.engine.lifecycle.EngineContext;
import org.jocker.engine.lifecycle.ExitCommand;
import org.jocker.engine.operations.ContainerOperations;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.images.ImageService;
import org.jocker.images.layer.Change;
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
  private final EngineContext context;
  private final ContainerListing listing;

  public Engine(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.context = new EngineContext(images, runtime, containers, kernel);
    this.listing = new ContainerListing(images, containers, context.states(), context.removal());
  }

  /**
   * How containers started from now on call this engine back when they exit (restart policies,
   * --rm of a detached container); without one, nothing happens when a container exits.
   */
  public Engine exitCommand(Supplier<ExitCommand> command) {
    context.exitCommand(command);
    return this;
  }

  /** `container cleanup`: what the monitor of an exited container runs. */
  public ContainerCleanup cleanup() {
    return context.cleanup();
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
    return context.volumes();
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
    return context.attacher();
  }

  /** create, start, stop, kill, wait, pause, rename, logs... */
  public ContainerLifecycle lifecycle() {
    return context.lifecycle();
  }

  /** `ps`: every container (running only, unless {@code all}), newest first. */
  public List<ContainerView> list(boolean all) {
    return list(all, ContainerFilter.NONE);
  }

  /** `ps --filter`: the containers that pass the filter, newest first (a status filter implies all). */
  public List<ContainerView> list(boolean all, ContainerFilter filter) {
    return listing.list(all, filter);
  }

  public ContainerRecord find(String idOrName) {
    return containers.get(idOrName);
  }

  /** `rm`: a running container only with force (it is killed first). */
  public void remove(String idOrName, boolean force) {
    context.removal().remove(idOrName, force);
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
    return containers.locked(() -> context.removal().prune(listing.list(true, filter)));
  }
}
