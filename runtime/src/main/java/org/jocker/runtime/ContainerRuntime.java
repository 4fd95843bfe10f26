package org.jocker.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.cgroup.CgroupStats;
import org.jocker.runtime.hooks.HookRunner;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Attachment;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.launch.LauncherParent;
import org.jocker.runtime.plan.MountOptions;
import org.jocker.runtime.plan.SpecValidator;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ExitStatus;
import org.jocker.runtime.state.StateStore;

/**
 * The OCI runtime as a Java API: create, start, state, kill, delete, pause, resume, update, ps. The
 * `jocker runtime` command is a thin layer over this class, and the engine calls it in-process.
 * Each call is complete on return and keeps nothing in memory between calls: all state is on disk
 * and in the kernel, so any number of processes may use one root. Each operation is its own
 * package-private class; this facade only hands calls to them.
 */
public final class ContainerRuntime {
  public static final String OCI_VERSION = "1.2.0";

  /** Shared by every instance: a mapper caches what it learnt of each class (the engine makes many). */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final List<String> warnings = new ArrayList<>();
  private final RuntimeContext context;
  private final ContainerStatus status;
  private final ContainerCreation creation;
  private final ContainerStart starting;
  private final ContainerDeletion deletion;
  private final ContainerSignals signals;
  private final ContainerPause pausing;
  private final ContainerUpdate updating;
  private final ContainerExit exit;
  private final ExecLauncher execs;

  /** A runtime whose containers and execs are this JVM's children, with the cgroupfs driver (runc's default). */
  public ContainerRuntime(Path root, Kernel kernel, Path launcherBinary) {
    this(root, kernel, launcherBinary, CgroupDriver.CGROUPFS);
  }

  /** With a cgroup driver for the containers it creates (those it finds keep their own). */
  public ContainerRuntime(Path root, Kernel kernel, Path launcherBinary, CgroupDriver cgroupDriver) {
    this(root, kernel, launcherBinary, LauncherParent.thisProcess(kernel), cgroupDriver);
  }

  /**
   * Whose containers and execs are {@code parent}'s children (runc's callers: see
   * LauncherParent), with a cgroup driver for the containers it creates.
   */
  public ContainerRuntime(Path root, Kernel kernel, Path launcherBinary, LauncherParent parent,
      CgroupDriver cgroupDriver) {
    this(root, kernel, launcherBinary, parent, null, cgroupDriver);
  }

  /** With a given cgroup layout (tests: this host seen as one without some hierarchy); null detects it. */
  ContainerRuntime(Path root, Kernel kernel, Path launcherBinary, CgroupLayout cgroupLayout) {
    this(root, kernel, launcherBinary, LauncherParent.thisProcess(kernel), cgroupLayout, CgroupDriver.CGROUPFS);
  }

  private ContainerRuntime(Path root, Kernel kernel, Path launcherBinary, LauncherParent parent,
      CgroupLayout cgroupLayout, CgroupDriver cgroupDriver) {
    this.context = new RuntimeContext(new StateStore(root, JSON), kernel, new Launcher(kernel, launcherBinary, parent),
        JSON, new ContainerCgroups(cgroupLayout, cgroupDriver), new HookRunner(), warnings);
    SpecValidator validator = new SpecValidator(new HostRlimits(kernel, parent));
    SeccompCache seccomp = new SeccompCache();
    this.status = new ContainerStatus(context);
    this.deletion = new ContainerDeletion(context, status);
    this.creation = new ContainerCreation(context, validator, seccomp, status, deletion);
    this.starting = new ContainerStart(context, status);
    this.signals = new ContainerSignals(context, status);
    this.pausing = new ContainerPause(context, status);
    this.updating = new ContainerUpdate(context, status);
    this.exit = new ContainerExit(context);
    this.execs = new ExecLauncher(context, status, validator, seccomp);
  }

  /**
   * The launcher binary to give the constructor: -Djocker.launcher, else the installed one
   * (/usr/libexec/jocker/jocker-launcher). jocker-init is built beside it.
   */
  public static Path launcherBinary() {
    return Launcher.locate();
  }

  /** The mount options that set a mount's propagation (private, rshared...), sorted: for `features`. */
  public static List<String> propagationOptions() {
    return MountOptions.PROPAGATION.keySet().stream().sorted().toList();
  }

  /** Warnings from hooks whose failure does not stop the lifecycle (poststart, poststop). */
  public List<String> drainWarnings() {
    List<String> w = List.copyOf(warnings);
    warnings.clear();
    return w;
  }

  public Spec loadSpec(Path bundle) {
    return creation.loadSpec(bundle);
  }

  public ContainerState create(String id, Path bundle, CreateOptions options) {
    return creation.create(id, bundle, options);
  }

  /** The same, with the bundle's config.json already loaded ({@link #loadSpec}): read once. */
  public ContainerState create(String id, Path bundle, Spec spec, CreateOptions options) {
    return creation.create(id, bundle, spec, options);
  }

  /**
   * Removes what a create killed before it saved state.json left: the state directory, the cgroup
   * and the processes in it. Nothing if there is no such directory or its create is still running.
   */
  public void removeIncomplete(String id) {
    deletion.removeIncomplete(id);
  }

  public void start(String id) {
    starting.start(id);
  }

  /**
   * Connects to the container's monitor for its output (and its stdin when created with
   * openStdin): before {@link #start} to miss nothing, or any time while it runs.
   */
  public Attachment attach(String id) {
    context.store().load(id);
    return Attachment.open(context.kernel(), context.store().dir(id));
  }

  /**
   * Starts a process in a running container: it joins the init's namespaces and cgroups, and gets
   * the container's seccomp filter. Without {@code detach}, await it with {@link #awaitExec}.
   */
  public ExecProcess exec(String id, Spec.Process process, ExecOptions options) {
    return execs.exec(id, process, options);
  }

  /** Waits for a process started by {@link #exec} without detach; returns how it ended. */
  public ExitStatus awaitExec(ExecProcess exec) {
    return execs.awaitExec(exec);
  }

  public ContainerState state(String id) {
    return status.state(id);
  }

  /** Every container's state, with the user owning it as owner (runc's list; {@link #state} leaves it empty). */
  public List<ContainerState> list() {
    return status.list();
  }

  public void kill(String id, int signal, boolean all) {
    signals.kill(id, signal, all);
  }

  /**
   * Passes on a signal the caller of a foreground run got, as runc passes on its own: to the
   * container's monitor, which gives a relayed terminal ({@link CreateOptions#relayTerminal()}) the
   * caller's window size again on SIGWINCH and forwards the others (TERM, INT, HUP, QUIT, USR1,
   * USR2) to the container's init. Nothing happens once the monitor has gone.
   */
  public void forwardSignal(String id, int signal) {
    signals.toMonitor(id, signal);
  }

  /** Like {@link #forwardSignal(String, int)}, for a process started by {@link #exec} without detach. */
  public void forwardSignal(ExecProcess exec, int signal) {
    signals.toMonitor(exec, signal);
  }

  /** Deletes a stopped container; with {@code force}, kills a created, running or paused one first. */
  public void delete(String id, boolean force) {
    deletion.delete(id, force);
  }

  public void pause(String id) {
    pausing.pause(id);
  }

  public void resume(String id) {
    pausing.resume(id);
  }

  /**
   * Changes a created, running or paused container's cgroup limits, as runc update: memory (limit,
   * reservation, swap), cpu (shares, quota, period, realtime, cpus, mems), blockIO weight, pids
   * limit and unified. Absent or zero fields keep their value; other resources are not touched.
   * Kernel memory limits are ignored with a warning ({@link #drainWarnings}).
   */
  public void update(String id, Spec.Resources resources) {
    updating.update(id, resources);
  }

  /** Pids of all processes in the container, as the host sees them. */
  public List<Long> processes(String id) {
    return cgroup(id).pids();
  }

  /** The container's cgroup usage now (memory, cpu, pids, OOM kills, block I/O, huge pages). */
  public CgroupStats stats(String id) {
    CgroupStats now = cgroup(id).stats();
    long recorded = exit.recordedOomKills(id);
    return recorded > now.oomKillCount()
        ? new CgroupStats(now.memory(), now.cpu(), now.pids(), recorded, now.blockIo(), now.hugetlb()) : now;
  }

  /** How many processes of the container the kernel's OOM killer ended (0 without a memory cgroup). */
  public long oomKillCount(String id) {
    return Math.max(cgroup(id).oomKillCount(), exit.recordedOomKills(id));
  }

  /** Waits until the container's init has exited and returns how. */
  public ExitStatus awaitExit(String id) {
    return exit.await(id);
  }

  /** Like {@link #awaitExit(String)}, giving up after timeoutMillis (then empty). */
  public Optional<ExitStatus> awaitExit(String id, long timeoutMillis) {
    return exit.await(id, timeoutMillis);
  }

  public byte[] stateJson(ContainerState state) {
    return context.stateJson(state);
  }

  /** The config a container was created with. */
  public Spec savedSpec(String id) {
    return context.savedSpec(id);
  }

  private CgroupManager cgroup(String id) {
    return context.cgroups().of(context.store().load(id));
  }
}
