package org.jocker.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.hooks.HookRunner;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Attachment;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.launch.MonitorClient;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.plan.DeviceRules;
import org.jocker.runtime.plan.ExecPlan;
import org.jocker.runtime.plan.InvalidSpecException;
import org.jocker.runtime.plan.LaunchPlan;
import org.jocker.runtime.plan.SpecValidator;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.Directories;
import org.jocker.runtime.state.ExitStatus;
import org.jocker.runtime.state.StateStore;

/**
 * The OCI runtime as a Java API: create, start, state, kill, delete, pause, resume, ps. The
 * `jocker runtime` command is a thin layer over this class, and the engine calls it in-process.
 * Each call is complete on return and keeps nothing in memory between calls: all state is on disk
 * and in the kernel, so any number of processes may use one root.
 */
public final class ContainerRuntime {
  public static final String OCI_VERSION = "1.2.0";
  private static final long STOP_WAIT_MILLIS = RuntimeContext.STOP_WAIT_MILLIS;

  private final StateStore store;
  private final Kernel kernel;
  private final Launcher launcher;
  private final SpecValidator validator;
  private final HookRunner hooks;
  /** Shared by every instance: a mapper caches what it learnt of each class (the engine makes many). */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final ObjectMapper json;
  private final List<String> warnings = new ArrayList<>();
  private final RuntimeContext context;
  private final ContainerStatus status;
  private final ContainerDeletion deletion;
  private final ContainerSignals signals;
  private final ContainerPause pause;
  private final SeccompCache seccompCache = new SeccompCache();

  public ContainerRuntime(Path root, Kernel kernel, Path launcherBinary) {
    this(root, kernel, launcherBinary, null);
  }

  /** With a given cgroup layout (tests: this host seen as one without some hierarchy); null detects it. */
  ContainerRuntime(Path root, Kernel kernel, Path launcherBinary, CgroupLayout cgroupLayout) {
    this.json = JSON;
    this.store = new StateStore(root, json);
    this.kernel = kernel;
    this.launcher = new Launcher(kernel, launcherBinary);
    this.validator = new SpecValidator(new HostRlimits(kernel));
    this.hooks = new HookRunner();
    this.context = new RuntimeContext(store, kernel, launcher, json, new ContainerCgroups(cgroupLayout),
        hooks, warnings);
    this.status = new ContainerStatus(context);
    this.deletion = new ContainerDeletion(context, status);
    this.signals = new ContainerSignals(context, status);
    this.pause = new ContainerPause(context, status);
  }

  /** Warnings from hooks whose failure does not stop the lifecycle (poststart, poststop). */
  public List<String> drainWarnings() {
    List<String> w = List.copyOf(warnings);
    warnings.clear();
    return w;
  }

  public Spec loadSpec(Path bundle) {
    Path config = bundle.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new OciRuntimeException("bundle " + bundle + ": config.json not found");
    }
    try {
      return json.readValue(config.toFile(), Spec.class);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new OciRuntimeException("config.json: invalid JSON: " + why, e);
    }
  }

  public ContainerState create(String id, Path bundle, CreateOptions options) {
    StateStore.checkId(id);
    removeIncomplete(id);
    Path absBundle = bundle.toAbsolutePath().normalize();
    Spec spec = loadSpec(absBundle);
    Path rootfs = validator.validate(spec, absBundle);
    SeccompFilter seccomp = seccompCache.filterFor(spec);
    if (spec.process().isTerminal() && options.consoleSocket() == null && (options.handoff() || options.log() == null)) {
      throw new InvalidSpecException("process.terminal", "a terminal needs --console-socket");
    }
    LockFile.Held lock = store.claim(id);
    Path dir = store.dir(id);
    CgroupManager cgroup = null;
    Launcher.Launched launched = null;
    try {
      String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
      // Before the cgroup: a create killed from here on leaves the cgroup's path on disk.
      Files.write(dir.resolve("config.json"), json.writeValueAsBytes(spec));
      cgroup = cgroup(cgroupsPath, id);
      cgroup.create();
      Spec.Resources resources = DeviceRules.complete(spec);
      if (resources != null) {
        cgroup.apply(resources);
      }
      Spec.Hooks h = spec.hooks();
      boolean pause = h != null && (notEmpty(h.prestart()) || notEmpty(h.createRuntime())
          || notEmpty(h.createContainer()) || notEmpty(h.startContainer()));
      Map<String, Path> cgroupDirs = new LinkedHashMap<>();
      cgroup.directories().forEach((hierarchy, d) -> cgroupDirs.put(hierarchy.name(), d));
      byte[] plan = new LaunchPlan(spec, absBundle, rootfs, dir, cgroupDirs,
          seccomp == null ? new byte[0] : seccomp.program().bytes(), seccomp == null ? 0 : seccomp.flags(),
          options.consoleSocket(), pause, options.handoff(), options.log(), options.openStdin(),
          options.exitCommand()).encode();
      launched = launcher.launch(plan, options.stdio(), pid -> {
        byte[] state = stateJson(new ContainerState(spec.ociVersion(), id, Status.creating, pid,
            absBundle.toString(), rootfs.toString(), null, null, spec.annotations(), null));
        if (h != null) {
          hooks.run("prestart", h.prestart(), state);
          hooks.run("createRuntime", h.createRuntime(), state);
        }
        return state;
      });
      ContainerRecord record = new ContainerRecord(id, spec.ociVersion(), absBundle.toString(),
          rootfs.toString(), launched.pid(), kernel.startTime(launched.pid()), launched.monitorPid(),
          kernel.startTime(launched.monitorPid()), cgroupsPath, Instant.now().toString(), spec.annotations());
      store.save(record);
      if (options.pidFile() != null) {
        org.jocker.kernel.Durable.writeUnchecked(options.pidFile().toAbsolutePath(),
            Integer.toString(launched.pid()).getBytes(StandardCharsets.US_ASCII));
      }
      return state(record);
    } catch (RuntimeException | IOException e) {
      context.abandon(launched);
      if (cgroup != null) {
        destroyQuietly(cgroup);
      }
      store.removeDir(id);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    } finally {
      StateStore.closeLock(lock);
    }
  }

  /**
   * Removes what a create killed before it saved state.json left: the state directory, the cgroup
   * and the processes in it. Nothing if there is no such directory or its create is still running.
   */
  public void removeIncomplete(String id) {
    deletion.removeIncomplete(id);
  }

  public void start(String id) {
    LockFile.Held lock = store.lock(id);
    try {
      ContainerRecord record = store.load(id);
      Status status = status(record);
      if (status != Status.created) {
        throw new OciRuntimeException("cannot start container " + id + ": it is " + status
            + ", not created");
      }
      new MonitorClient(kernel, store.dir(id)).start();
      Spec spec = savedSpec(id);
      if (spec.hooks() != null) {
        warnings.addAll(hooks.runAll("poststart", spec.hooks().poststart(), stateJson(state(record))));
      }
    } finally {
      StateStore.closeLock(lock);
    }
  }

  /**
   * Connects to the container's monitor for its output (and its stdin when created with
   * openStdin): before {@link #start} to miss nothing, or any time while it runs.
   */
  public Attachment attach(String id) {
    store.load(id);
    return Attachment.open(kernel, store.dir(id));
  }

  /**
   * Starts a process in a running container: it joins the init's namespaces and cgroups, and gets
   * the container's seccomp filter. Without {@code detach}, await it with {@link #awaitExec}.
   */
  public ExecProcess exec(String id, Spec.Process process, ExecOptions options) {
    ContainerRecord record = store.load(id);
    Status status = status(record);
    if (status == Status.paused) {
      throw new OciRuntimeException("container " + id + " is paused: resume it before exec");
    }
    if (status != Status.running) {
      throw new OciRuntimeException("container " + id + " is not running (" + status + ")");
    }
    validator.validateProcess(process);
    if (process.isTerminal() && options.consoleSocket() == null && options.detach()) {
      throw new InvalidSpecException("process.terminal", "a terminal needs --console-socket");
    }
    Spec spec = savedSpec(id);
    List<NamespaceType> namespaces = new ArrayList<>();
    if (spec.linux() != null && spec.linux().namespaces() != null) {
      spec.linux().namespaces().forEach(ns -> namespaces.add(NamespaceType.fromSpecName(ns.type()).orElseThrow()));
    }
    SeccompFilter seccomp = seccompCache.filterFor(spec);
    Map<String, Path> cgroupDirs = new LinkedHashMap<>();
    cgroup(record).directories().forEach((hierarchy, d) -> cgroupDirs.put(hierarchy.name(), d));
    Path dir = store.dir(id).resolve("exec").resolve(Long.toHexString(System.nanoTime()));
    Launcher.Launched launched = null;
    Attachment attachment = null;
    try {
      Files.createDirectories(dir);
      byte[] plan = new ExecPlan(process, record.pid(), namespaces, cgroupDirs, dir,
          seccomp == null ? new byte[0] : seccomp.program().bytes(), seccomp == null ? 0 : seccomp.flags(),
          options.consoleSocket(), options.detach(), options.openStdin()).encode();
      launched = launcher.launch(plan, options.stdio(), pid -> {
        throw new IllegalStateException("an exec plan never pauses for hooks");
      });
      // Attached before start, so that no output is missed.
      attachment = options.openStdin() || (process.isTerminal() && options.consoleSocket() == null)
          ? Attachment.open(kernel, dir) : null;
      new MonitorClient(kernel, dir).start();
      ExecProcess exec = new ExecProcess(id, launched.pid(), launched.monitorPid(),
          kernel.startTime(launched.monitorPid()), dir, attachment);
      if (options.detach()) {
        kernel.awaitExit(launched.monitorPid(), STOP_WAIT_MILLIS); // leaves right after start
        deleteTree(dir);
      }
      return exec;
    } catch (RuntimeException | IOException e) {
      if (attachment != null) {
        attachment.close();
      }
      context.abandon(launched);
      deleteTree(dir);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** Waits for a process started by {@link #exec} without detach; returns how it ended. */
  public ExitStatus awaitExec(ExecProcess exec) {
    if (kernel.startTime(exec.monitorPid()) == exec.monitorStartTime()) {
      kernel.awaitExit(exec.monitorPid(), -1);
    }
    try {
      return ExitStatus.read(exec.stateDir().resolve("exit"))
          .orElseThrow(() -> new OciRuntimeException("exec in " + exec.containerId() + ": exit status unknown"));
    } finally {
      deleteTree(exec.stateDir());
    }
  }

  private static void deleteTree(Path dir) {
    try {
      Directories.deleteRecursively(dir);
    } catch (UncheckedIOException e) {
      // removed with the container at the latest
    }
  }

  public ContainerState state(String id) {
    return status.state(id);
  }

  public List<ContainerState> list() {
    return status.list();
  }

  public void kill(String id, int signal, boolean all) {
    signals.kill(id, signal, all);
  }

  public void delete(String id, boolean force) {
    deletion.delete(id, force);
  }

  public void pause(String id) {
    pause.pause(id);
  }

  public void resume(String id) {
    pause.resume(id);
  }

  /** Pids of all processes in the container, as the host sees them. */
  public List<Long> processes(String id) {
    return cgroup(store.load(id)).pids();
  }

  /** The container's cgroup usage now (memory, cpu, pids, OOM kills). */
  public org.jocker.runtime.cgroup.CgroupStats stats(String id) {
    return cgroup(store.load(id)).stats();
  }

  /** The container's cgroup directories, by hierarchy ("unified", or v1 controllers like "cpu,cpuacct"). */
  public Map<String, Path> cgroupDirectories(String id) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    cgroup(store.load(id)).directories().forEach((hierarchy, d) -> dirs.put(hierarchy.name(), d));
    return dirs;
  }

  /** How many processes of the container the kernel's OOM killer ended (0 without a memory cgroup). */
  public long oomKillCount(String id) {
    return cgroup(store.load(id)).oomKillCount();
  }

  /** Waits until the container's init has exited and returns how. */
  public ExitStatus awaitExit(String id) {
    ContainerRecord record = store.load(id);
    if (kernel.startTime(record.monitorPid()) == record.monitorStartTime()) {
      kernel.awaitExit(record.monitorPid(), -1);
    }
    return ExitStatus.read(store.dir(id).resolve("exit"))
        .orElseThrow(() -> new OciRuntimeException("container " + id + ": exit status unknown (monitor gone)"));
  }

  /** Like {@link #awaitExit(String)}, giving up after timeoutMillis (then empty). */
  public Optional<ExitStatus> awaitExit(String id, long timeoutMillis) {
    ContainerRecord record = store.load(id);
    if (kernel.startTime(record.monitorPid()) == record.monitorStartTime()
        && !kernel.awaitExit(record.monitorPid(), timeoutMillis)) {
      return Optional.empty();
    }
    return ExitStatus.read(store.dir(id).resolve("exit"));
  }

  public byte[] stateJson(ContainerState state) {
    return context.stateJson(state);
  }

  /** The config a container was created with. */
  public Spec savedSpec(String id) {
    return context.savedSpec(id);
  }

  private ContainerState state(ContainerRecord r) {
    return status.state(r);
  }

  private Status status(ContainerRecord r) {
    return status.status(r);
  }

  private CgroupManager cgroup(ContainerRecord r) {
    return context.cgroups().of(r);
  }

  private CgroupManager cgroup(String cgroupsPath, String id) {
    return context.cgroups().of(cgroupsPath, id);
  }

  private void destroyQuietly(CgroupManager cgroup) {
    context.destroyQuietly(cgroup);
  }

  private static boolean notEmpty(List<?> l) {
    return l != null && !l.isEmpty();
  }

}
