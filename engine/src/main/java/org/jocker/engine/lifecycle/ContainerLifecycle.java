package org.jocker.engine.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.container.Names;
import org.jocker.engine.container.RestartState;
import org.jocker.engine.logs.JsonFileLog;
import org.jocker.engine.logs.LogOptions;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.operations.LaunchFailures;
import org.jocker.engine.spec.LogSettings;
import org.jocker.engine.spec.MountsFactory;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.spec.SpecFactory;
import org.jocker.engine.spec.VolumesFrom;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.store.Image;
import org.jocker.kernel.Durable;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LaunchException;
import org.jocker.runtime.launch.LogConfig;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;

/**
 * create, start, stop, restart, kill, wait, pause, unpause, rename, logs — with Docker's behaviour
 * and without a daemon: every call reads the truth from disk (the container's record and log) and
 * from the kernel (through the runtime), so any `jocker` process can act on any container, and a
 * container outlives the process that started it (its monitor is not our child).
 *
 * <p>A created container has its root filesystem mounted and its config.json written; it enters the
 * runtime only at start (each start makes a new runtime container, so restart is start again). Its
 * stdout and stderr go to {@code containers/ID/container.log} (json-file, written by the monitor).
 */
public final class ContainerLifecycle {
  public static final String LOG = "container.log";
  private static final int DEFAULT_STOP_SECONDS = 10;
  private static final ObjectMapper SPEC_JSON = new ObjectMapper();

  private final EngineContext engine;
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private long logMaxSize = 10_000_000L;
  private int logMaxFiles = 3;

  ContainerLifecycle(EngineContext engine, ImageService images, ContainerRuntime runtime, ContainerStore containers,
      Kernel kernel) {
    this.engine = engine;
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
  }

  /**
   * Log rotation for the containers created from now on that do not set their own (default 10 MB ×
   * 3), as Docker's daemon-wide log-opts.
   */
  public ContainerLifecycle logLimits(long maxSize, int maxFiles) {
    new LogConfig(Path.of("/"), maxSize, maxFiles); // validates
    this.logMaxSize = maxSize;
    this.logMaxFiles = maxFiles;
    return this;
  }

  /**
   * `create`: the container with its root filesystem, not started; returns its id. Made under the
   * store lock, record last: a create killed half-way leaves a directory without a record, which
   * the next command removes (see {@link EngineContext#removeLeftovers}).
   */
  public String create(RunOptions options) {
    if (options.remove() && !options.hostConfig().restartPolicy().isNone()) {
      throw EngineException.invalidArgument("Conflicting options: --restart and --rm");
    }
    Image image = engine.image(options.image());
    return containers.locked(() -> createLocked(options, image));
  }

  private String createLocked(RunOptions options, Image image) {
    engine.removeLeftovers();
    String name = engine.name(options.name());
    String id = Names.newId();
    // Every option is checked (and every volume named) before anything is made.
    HostConfig hc = options.hostConfig();
    MountsFactory mounts = MountsFactory.plan(hc, images.config(image).value().config(), engine.volumeStore(),
        VolumesFrom.resolve(hc.volumesFrom(), engine::find, containers, engine.volumeStore()));
    HostConfig recorded = hc.withLogConfig(LogSettings.withDefaults(hc.logConfig(), logMaxSize, logMaxFiles));
    ContainerRecord record = new ContainerRecord(id, name, image.id().toString(), options.image(),
        Instant.now().toString(), options.command(), options.remove(), recorded, mounts.volumeNames(),
        options.interactive());
    containers.makeDir(id);
    boolean mounted = false;
    Path rootfs = containers.bundle(id).resolve("rootfs");
    try {
      Mount mount = images.prepareRootfs(id, image);
      mount.mount(rootfs);
      mounted = true;
      Spec spec = SpecFactory.create(id, images.config(image).value().config(), options, rootfs,
          mounts.apply(rootfs));
      Durable.writeUnchecked(containers.bundle(id).resolve("config.json"), SPEC_JSON.writeValueAsBytes(spec));
      containers.save(record); // from here on the container exists
      return id;
    } catch (IOException | RuntimeException e) {
      engine.removeAll(id, mounted);
      engine.volumes().removeAnonymous(record);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** `run -d`: create and start; returns the id at once. */
  public String runDetached(RunOptions options) {
    String id = create(options);
    try {
      launch(id);
    } catch (RuntimeException e) {
      if (options.remove()) {
        engine.autoRemove(id, engine.isMounted(id));
      }
      throw e;
    }
    return id;
  }

  /** `start`: a created or exited container (a running one is left alone). */
  public void start(String idOrName) {
    ContainerRecord r = engine.find(idOrName);
    containers.locked(() -> { // so that of two concurrent starts, the second sees the first's
      if (!isActive(r)) {
        launch(r.id());
      }
    });
  }

  /**
   * Starts a new runtime container for the engine's container (see {@link #prepareLaunch}), under
   * the store lock (a concurrent rm or start of it waits) and then its own (the restart policy's).
   */
  private void launch(String id) {
    containers.locked(() -> {
      try (ContainerLock lock = ContainerLock.of(containers.dir(id), id)) {
        launchLocked(id, RestartState::started); // a start by the user resets the restart count
      }
    });
  }

  /** {@link #launch} under both locks. */
  void launchLocked(String id, Function<String, RestartState> next) {
    prepareLaunch(id, next);
    runtime.start(id);
  }

  /**
   * Creates a new runtime container for the engine's container, replacing the runtime's record of
   * an earlier run; its output goes to the log (and to attach clients), its stdin is kept open by
   * the monitor when the container was made with -i, else /dev/null. {@code next} gives the
   * container's RestartState for the new run from its token, which the monitor's exit command
   * carries back to the cleanup. Under the store lock and the container's.
   */
  void prepareLaunch(String id, Function<String, RestartState> next) {
    ContainerRecord r = containers.find(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
    if (engine.runtimeKnows(id)) {
      runtime.delete(id, true);
    }
    if (!engine.isMounted(id)) {
      remount(id);
    }
    int devNull = kernel.openForReading(Path.of("/dev/null"));
    try {
      Stdio io = new Stdio(devNull, devNull, devNull);
      LogConfig logConfig = LogSettings.runtimeConfig(logConfig(r), containers.dir(id).resolve(LOG));
      String launch = Names.newId().substring(0, 16);
      // Only a container with something to do at its exit gets called back (a JVM start, without the engine).
      boolean cleanup = r.autoRemove() || !r.hostConfig().restartPolicy().isNone();
      ExitCommand exit = cleanup ? engine.exitCommand() : null;
      List<String> exitArgv = exit == null ? List.of() : exit.argv(id, launch);
      runtime.create(id, containers.bundle(id),
          new CreateOptions(null, null, io, false, logConfig, r.openStdin(), exitArgv));
      // Saved once the new run exists (until then a restarter shows "restarting"); its cleanup waits for our lock.
      engine.restartStates().save(id, next.apply(launch).watched(exit != null));
    } catch (LaunchException e) {
      throw LaunchFailures.error(e);
    } finally {
      kernel.close(devNull);
    }
  }

  /**
   * Mounts the root filesystem again from the container's snapshot: a start after a reboot, or
   * after an rm killed between the unmount and the removal of the record.
   */
  private void remount(String id) {
    try {
      images.rootfsMount(id).mount(containers.bundle(id).resolve("rootfs"));
    } catch (RuntimeException e) {
      throw EngineException.internal(e, "container " + id + " has no root filesystem: " + e.getMessage());
    }
  }

  /**
   * `stop`: the image's StopSignal (SIGTERM by default), then SIGKILL to every process after
   * {@code seconds} (null: 10; negative: wait for ever). Returns the exit code.
   */
  public int stop(String idOrName, Integer seconds) {
    ContainerRecord r = engine.find(idOrName);
    markManuallyStopped(r.id()); // no restart policy brings it back (also one waiting to restart)
    if (!isActive(r)) {
      return exitCodeOr(r.id(), 0);
    }
    int timeout = seconds == null ? DEFAULT_STOP_SECONDS : seconds;
    boolean paused = state(r).equals("paused");
    try {
      runtime.kill(r.id(), stopSignal(r), false);
      if (paused) {
        runtime.resume(r.id());
      }
    } catch (OciRuntimeException | KernelException e) {
      // it ended on its own meanwhile
    }
    Optional<ExitStatus> exit = runtime.awaitExit(r.id(), timeout < 0 ? -1 : timeout * 1000L);
    if (exit.isEmpty()) {
      try {
        runtime.kill(r.id(), Signal.SIGKILL.number(), true);
      } catch (OciRuntimeException | KernelException e) {
        // gone meanwhile
      }
      return runtime.awaitExit(r.id()).code();
    }
    return exit.get().code();
  }

  /** `restart`: stop (if running), then start. */
  public void restart(String idOrName, Integer seconds) {
    ContainerRecord r = engine.find(idOrName);
    stop(r.id(), seconds);
    launch(r.id());
  }

  /** `kill`: a signal (name or number; default SIGKILL) to the container's init. */
  public void kill(String idOrName, String signal) {
    ContainerRecord r = engine.find(idOrName);
    int sig = signal == null ? Signal.SIGKILL.number() : Signal.parse(signal)
        .orElseThrow(() -> EngineException.invalidArgument("Invalid signal: " + signal));
    if (!state(r).equals("running")) {
      throw EngineException.conflict("Cannot kill container: " + idOrName + ": Container " + r.id()
          + " is not running");
    }
    if (sig == Signal.SIGKILL.number() || sig == stopSignal(r)) {
      markManuallyStopped(r.id()); // Docker's: a fatal signal disables the restart policy until the next start
    }
    try {
      runtime.kill(r.id(), sig, false);
    } catch (OciRuntimeException | KernelException e) {
      throw EngineException.of(EngineException.Kind.CONFLICT, e, "Cannot kill container: " + idOrName
          + ": Container " + r.id()
          + " is not running");
    }
  }

  private void markManuallyStopped(String id) {
    ContainerLock.ifPresent(containers.dir(id)).ifPresent(lock -> {
      try (lock) {
        engine.restartStates().save(id, engine.restartStates().load(id).stopped());
      }
    });
  }

  /** `wait`: blocks until the container exits (a created one: until it is started and exits). */
  public int await(String idOrName) {
    ContainerRecord r = engine.find(idOrName);
    while (!engine.runtimeKnows(r.id()) || runtime.state(r.id()).status() == Status.creating) {
      sleep();
      if (containers.find(r.id()).isEmpty()) {
        throw EngineException.notFound("No such container: " + idOrName);
      }
    }
    return runtime.awaitExit(r.id()).code();
  }

  public void pause(String idOrName) {
    ContainerRecord r = engine.find(idOrName);
    String state = state(r);
    if (state.equals("paused")) {
      throw EngineException.conflict("Container " + r.id() + " is already paused");
    }
    if (!state.equals("running")) {
      throw EngineException.conflict("Container " + r.id() + " is not running");
    }
    runtime.pause(r.id());
  }

  public void unpause(String idOrName) {
    ContainerRecord r = engine.find(idOrName);
    if (!state(r).equals("paused")) {
      throw EngineException.conflict("Container " + r.id() + " is not paused");
    }
    runtime.resume(r.id());
  }

  public void rename(String idOrName, String newName) {
    containers.locked(() -> { // the name check and the save, as one step for concurrent renames
      ContainerRecord r = engine.find(idOrName);
      if (r.name().equals(newName)) {
        throw EngineException.invalidArgument("Renaming a container with the same name as its current name");
      }
      containers.save(r.withName(engine.name(newName)));
    });
  }

  /** `logs`: what the container wrote; with follow, until it has exited. */
  public void logs(String idOrName, LogOptions options, LogSink sink) {
    ContainerRecord r = engine.find(idOrName);
    if (logConfig(r).type().equals(LogSettings.NONE)) {
      throw EngineException.invalidArgument("configured logging driver does not support reading");
    }
    log(r.id()).read(options, sink, () -> exited(r.id()));
  }

  /** The container's log driver and limits (the engine's defaults for a container that has none recorded). */
  private HostConfig.LogConfig logConfig(ContainerRecord r) {
    HostConfig.LogConfig recorded = r.hostConfig().logConfig();
    return recorded != null ? recorded : LogSettings.withDefaults(null, logMaxSize, logMaxFiles);
  }

  public JsonFileLog log(String id) {
    return new JsonFileLog(containers.dir(id).resolve(LOG));
  }

  /** A sink writing to print streams (flushed at each entry). */
  public static LogSink sink(PrintStream out, PrintStream err) {
    return (stderr, bytes) -> {
      PrintStream s = stderr ? err : out;
      s.write(bytes, 0, bytes.length);
      s.flush();
    };
  }

  /**
   * Whether the container has exited and its monitor has written all its output to the log: init
   * may be gone (the runtime says stopped) while the monitor still drains the pipes, so wait for it.
   */
  private boolean exited(String id) {
    try {
      if (runtime.state(id).status() != Status.stopped) {
        return false;
      }
      runtime.awaitExit(id, 10_000);
      return true;
    } catch (RuntimeException e) {
      return true; // removed
    }
  }

  private int exitCode(String id) {
    return runtime.awaitExit(id).code();
  }

  int exitCodeOr(String id, int fallback) {
    try {
      ExitStatus e = runtime.state(id).exitStatus();
      return e == null ? fallback : e.code();
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  private String state(ContainerRecord r) {
    return engine.view(r).state();
  }

  private boolean isActive(ContainerRecord r) {
    String s = state(r);
    return s.equals("running") || s.equals("paused");
  }

  private int stopSignal(ContainerRecord r) {
    String name = images.images().find(Digest.parse(r.image()))
        .map(i -> images.config(i).value().config())
        .map(c -> c == null ? null : c.stopSignal())
        .orElse(null);
    if (name == null || name.isEmpty()) {
      return Signal.SIGTERM.number();
    }
    return Signal.parse(name).orElse(Signal.SIGTERM.number());
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EngineException.internal("interrupted");
    }
  }
}
