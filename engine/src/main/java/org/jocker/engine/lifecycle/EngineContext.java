package org.jocker.engine.lifecycle;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.container.Names;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.engine.volume.VolumeStore;
import org.jocker.images.ImageService;
import org.jocker.images.NotFoundException;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;

/**
 * What the lifecycle commands share (the stores, the runtime, removal, the exit command), so that
 * they need not call back into the {@link org.jocker.engine.Engine} facade.
 */
public final class EngineContext {
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final VolumeStore volumeStore;
  private final RestartStates restartStates;
  private final ContainerStates states;
  private final ContainerRemoval removal;
  private ContainerLifecycle lifecycle;
  private Supplier<ExitCommand> exitCommand = () -> null;

  public EngineContext(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.volumeStore = new VolumeStore(containers.dir("").resolveSibling("volumes"));
    this.restartStates = new RestartStates(containers);
    this.states = new ContainerStates(runtime, restartStates, kernel);
    this.removal = new ContainerRemoval(images, runtime, containers, states, volumes());
  }

  /**
   * How containers started from now on call this engine back when they exit (restart policies,
   * --rm of a detached container); without one, nothing happens when a container exits.
   */
  public void exitCommand(Supplier<ExitCommand> command) {
    this.exitCommand = memoized(command);
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

  /** create, start, stop, kill, wait, pause, rename, logs... */
  public ContainerLifecycle lifecycle() {
    if (lifecycle == null) {
      lifecycle = new ContainerLifecycle(this, images, runtime, containers, kernel);
    }
    return lifecycle;
  }

  /** `container cleanup`: what the monitor of an exited container runs. */
  public ContainerCleanup cleanup() {
    return new ContainerCleanup(this, runtime, containers, kernel);
  }

  /** Foreground run, start -a, attach: a caller connected to a container. */
  public ContainerAttacher attacher() {
    return new ContainerAttacher(this, lifecycle(), runtime, containers, kernel);
  }

  public ContainerStates states() {
    return states;
  }

  public ContainerRemoval removal() {
    return removal;
  }

  /** The volume commands (`volume create/ls/inspect/rm/prune`). */
  public VolumeManager volumes() {
    return new VolumeManager(volumeStore, containers::list);
  }

  RestartStates restartStates() {
    return restartStates;
  }

  VolumeStore volumeStore() {
    return volumeStore;
  }

  ContainerRecord find(String idOrName) {
    return containers.get(idOrName);
  }

  ContainerView view(ContainerRecord r) {
    return states.view(r);
  }

  boolean isMounted(String id) {
    return containers.isMounted(id);
  }

  boolean runtimeKnows(String id) {
    return states.runtimeKnows(id);
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

  /** Everything of a container, in the order that keeps a killed rm harmless. */
  void removeAll(String id, boolean mounted) {
    removal.removeAll(id, mounted);
  }

  /** Finishes what killed commands left (while no change is in progress). */
  void removeLeftovers() {
    removal.removeLeftovers();
  }
}
