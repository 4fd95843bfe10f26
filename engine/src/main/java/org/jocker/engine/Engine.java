package org.jocker.engine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jocker.engine.attach.DescriptorCaller;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.image.ImageManager;
import org.jocker.engine.image.ImagePulling;
import org.jocker.engine.image.ImagePushing;
import org.jocker.engine.lifecycle.BuildContainers;
import org.jocker.engine.lifecycle.ContainerAttacher;
import org.jocker.engine.lifecycle.ContainerCleanup;
import org.jocker.engine.lifecycle.ContainerCreation;
import org.jocker.engine.lifecycle.ContainerLaunch;
import org.jocker.engine.lifecycle.ContainerLogs;
import org.jocker.engine.lifecycle.ContainerPause;
import org.jocker.engine.lifecycle.ContainerRemoval;
import org.jocker.engine.lifecycle.ContainerRename;
import org.jocker.engine.lifecycle.NetworkConnections;
import org.jocker.engine.lifecycle.ContainerRestart;
import org.jocker.engine.lifecycle.ContainerSignals;
import org.jocker.engine.lifecycle.ContainerStart;
import org.jocker.engine.lifecycle.ContainerWait;
import org.jocker.engine.lifecycle.DetachedRun;
import org.jocker.engine.lifecycle.ExitCommand;
import org.jocker.engine.lifecycle.LogLimits;
import org.jocker.engine.logs.LogOptions;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.network.BridgeNetwork;
import org.jocker.engine.network.BridgeOptions;
import org.jocker.engine.network.NetworkInspection;
import org.jocker.engine.network.CniPlugins;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.EtcFiles;
import org.jocker.engine.network.Endpoint;
import org.jocker.engine.network.PublishedPort;
import org.jocker.engine.operations.ContainerInspector;
import org.jocker.engine.operations.ContainerOperations;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.engine.volume.VolumeStore;
import org.jocker.images.ImageService;
import org.jocker.images.layer.Change;
import org.jocker.runtime.CgroupDriver;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;

/**
 * Containers from images: the image service gives a root filesystem, the runtime runs it.
 * Everything lives under one root: images (content, images, snapshots) and containers.
 *
 * <p>Docker's behaviour without a daemon: every call reads the truth from disk (the container's
 * record and log) and from the kernel (through the runtime), so any `jocker` process can act on any
 * container, and a container outlives the process that started it (its monitor is not our child).
 * Each command is its own class; this facade makes them, each with what it uses, and hands calls
 * to them.
 */
public final class Engine {
  private final ImageService images;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final VolumeManager volumes;
  private final ContainerRemoval removal;
  private final ContainerListing listing;
  private final ContainerOperations operations;
  private final LogLimits logLimits;
  private final ContainerLaunch launch;
  private final ContainerCreation creation;
  private final DetachedRun detachedRun;
  private final ContainerStart starting;
  private final ContainerSignals signals;
  private final ContainerRestart restarting;
  private final ContainerWait waiting;
  private final ContainerPause pausing;
  private final ContainerRename renaming;
  private final ContainerLogs logs;
  private final ContainerAttacher attacher;
  private final ContainerCleanup cleanup;
  private final ContainerNetworking networking;
  private final BuildContainers buildContainers;
  private final NetworkConnections connections;

  public Engine(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel) {
    this.images = images;
    this.containers = containers;
    this.kernel = kernel;
    RestartStates restartStates = new RestartStates(containers);
    ContainerStates states = new ContainerStates(runtime, restartStates, kernel);
    this.volumes = new VolumeManager(new VolumeStore(containers.dir("").resolveSibling("volumes")), containers::list);
    this.networking = new ContainerNetworking(containers.dir("").resolveSibling("network"), CniPlugins.system(),
        EtcFiles.host());
    this.buildContainers = new BuildContainers(containers.dir("").resolveSibling("builds"), images, runtime, kernel,
        networking, containers);
    networking.heldByBuild(buildContainers::running);
    this.removal = new ContainerRemoval(images, runtime, containers, states, volumes, networking, buildContainers);
    this.listing = new ContainerListing(images, containers, states, removal);
    this.operations = new ContainerOperations(images, runtime, containers, kernel,
        new ContainerInspector(images, runtime, containers, states, restartStates, networking));
    this.logLimits = new LogLimits();
    this.launch = new ContainerLaunch(images, runtime, containers, kernel, states, restartStates, logLimits, networking);
    this.creation = new ContainerCreation(images, containers, volumes, removal, logLimits, networking);
    this.detachedRun = new DetachedRun(creation, launch, removal, containers);
    this.starting = new ContainerStart(containers, states, launch);
    this.signals = new ContainerSignals(images, runtime, containers, states, restartStates);
    this.restarting = new ContainerRestart(containers, signals, launch);
    this.waiting = new ContainerWait(runtime, containers, states);
    this.pausing = new ContainerPause(runtime, containers, states);
    this.renaming = new ContainerRename(containers, networking);
    this.logs = new ContainerLogs(runtime, containers, logLimits);
    this.attacher = new ContainerAttacher(runtime, containers, kernel, states, creation, launch, removal);
    this.cleanup = new ContainerCleanup(runtime, containers, kernel, restartStates, removal, launch, networking);
    this.connections = new NetworkConnections(containers, states, networking);
  }

  /**
   * How containers started from now on call this engine back when they exit (restart policies,
   * --rm of a detached container); without one, nothing happens when a container exits.
   */
  public Engine exitCommand(Supplier<ExitCommand> command) {
    launch.exitCommand(command);
    return this;
  }

  /**
   * The default bridge network of containers created from now on (dockerd's --bridge and --bip);
   * without it, or with bridge "none", containers default to --network none.
   */
  public Engine bridge(BridgeOptions options) {
    networking.bridgeOptions(options);
    return this;
  }

  /** `network connect/disconnect`. */
  public NetworkConnections networkConnections() {
    return connections;
  }

  /** Containers' networks: endpoints, published ports. */
  public ContainerNetworking networking() {
    return networking;
  }

  /**
   * Log rotation for the containers created from now on that do not set their own (default 10 MB ×
   * 3), as Docker's daemon-wide log-opts.
   */
  public Engine logLimits(long maxSize, int maxFiles) {
    logLimits.set(maxSize, maxFiles);
    return this;
  }

  /** `container cleanup`: what the monitor of an exited container runs. */
  public ContainerCleanup cleanup() {
    return cleanup;
  }

  /**
   * @param root the engine's data (images, containers)
   * @param runRoot the runtime's per-boot state (pids, monitor sockets)
   */
  public static Engine open(Path root, Path runRoot, Kernel kernel, Path launcher) {
    return open(root, runRoot, kernel, launcher, CgroupDriver.CGROUPFS);
  }

  /** As {@link #open(Path, Path, Kernel, Path)}, with the cgroup driver of the containers it creates. */
  public static Engine open(Path root, Path runRoot, Kernel kernel, Path launcher, CgroupDriver cgroupDriver) {
    return new Engine(ImageService.open(root), new ContainerRuntime(runRoot, kernel, launcher, cgroupDriver),
        new ContainerStore(root.resolve("containers")), kernel);
  }

  public ImageService images() {
    return images;
  }

  /** Where `jocker build` runs its RUN steps: containers no other command sees. */
  public BuildContainers buildContainers() {
    return buildContainers;
  }

  /** The volume commands (`volume create/ls/inspect/rm/prune`). */
  public VolumeManager volumes() {
    return volumes;
  }

  /** `pull`, and the pulls of `run` and `create`. */
  public ImagePulling pulling() {
    return new ImagePulling(images);
  }

  /** `push`. */
  public ImagePushing pushing() {
    return new ImagePushing(images);
  }

  public ImageManager imageManager() {
    return new ImageManager(images, containers);
  }

  /** inspect, exec, top, stats, cp of existing containers. */
  public ContainerOperations operations() {
    return operations;
  }

  /** `create`: the container with its root filesystem, not started; returns its id. */
  public String create(RunOptions options) {
    return creation.create(options);
  }

  /** `run -d`: create and start; returns the id at once. */
  public String runDetached(RunOptions options) {
    return detachedRun.run(options);
  }

  /** `jocker run` in the foreground: returns the container's exit code. */
  public int run(RunOptions options, Stdio stdio) {
    return attacher().run(options, DescriptorCaller.of(kernel, stdio));
  }

  /** Foreground run, start -a, attach: a caller connected to a container. */
  public ContainerAttacher attacher() {
    return attacher;
  }

  /** `start`: a created or exited container (a running one is left alone). */
  public void start(String idOrName) {
    starting.start(idOrName);
  }

  /**
   * `stop`: the image's StopSignal (SIGTERM by default), then SIGKILL to every process after
   * {@code seconds} (null: 10; negative: wait for ever). Returns the exit code.
   */
  public int stop(String idOrName, Integer seconds) {
    return signals.stop(idOrName, seconds);
  }

  /** `restart`: stop (if running), then start. */
  public void restart(String idOrName, Integer seconds) {
    restarting.restart(idOrName, seconds);
  }

  /** `kill`: a signal (name or number; default SIGKILL) to the container's init. */
  public void kill(String idOrName, String signal) {
    signals.kill(idOrName, signal);
  }

  /** `wait`: blocks until the container exits (a created one: until it is started and exits). */
  public int await(String idOrName) {
    return waiting.await(idOrName);
  }

  public void pause(String idOrName) {
    pausing.pause(idOrName);
  }

  public void unpause(String idOrName) {
    pausing.unpause(idOrName);
  }

  public void rename(String idOrName, String newName) {
    renaming.rename(idOrName, newName);
  }

  /** `logs`: what the container wrote; with follow, until it has exited. */
  public void logs(String idOrName, LogOptions options, LogSink sink) {
    logs.logs(idOrName, options, sink);
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

  /** `port`, ps's PORTS: what a running container publishes (none when it is not running). */
  public List<PublishedPort> ports(String idOrName) {
    ContainerRecord r = containers.get(idOrName);
    if (!operations.status(r.id()).running()) {
      return List.of();
    }
    return networking.endpoint(r.id()).map(Endpoint::ports).orElse(List.of());
  }

  /** `network inspect`: a bridge-driver network with the running containers on it. */
  public com.fasterxml.jackson.databind.node.ObjectNode inspectNetwork(String nameOrId) {
    BridgeNetwork n = networking.network(nameOrId);
    return NetworkInspection.of(n, networking.endpointsOn(n.name()),
        id -> containers.find(id).map(ContainerRecord::name).orElse(""));
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
}
