package org.jocker.runtime.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.launch.LogConfig;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.spec.Spec;

/**
 * Everything the launcher needs to start one container, turned into the binary plan it reads.
 * The spec must already be validated ({@link SpecValidator}): this class only translates.
 *
 * @param rootfs absolute root filesystem path
 * @param stateDir where the monitor keeps its socket and exit file
 * @param cgroupDirs the container's cgroup directory in each hierarchy, by hierarchy name
 *     ("memory", "unified", ...): its init is written into their cgroup.procs, and a "cgroup" mount
 *     shows them
 * @param seccompFilter compiled BPF (empty for none)
 * @param consoleSocket unix socket that receives the pty master, when process.terminal is set
 * @param pauseForHooks stop before pivot_root so Java can run createRuntime hooks
 * @param handoff the monitor leaves once the container has started (runc's model, for callers
 *     such as conmon that reap the container themselves); otherwise it stays and records the exit
 * @param log where the monitor writes stdout and stderr (json-file), or null for the given stdio
 * @param openStdin the monitor keeps the container's stdin open for attach clients
 * @param exitCommand what the monitor runs, detached, once it has recorded the exit (empty: nothing)
 * @param relayTerminal a terminal without console socket is relayed to the caller's stdio (runc's
 *     foreground run): the monitor copies between them, with the caller's terminal raw meanwhile
 * @param cgroupHandshake the monitor waits, once it has cloned the init, for Java to make the
 *     cgroup (a systemd scope, which needs the init's pid) before it writes cgroup.procs
 * @param seccompListener where the filter's listener goes (SCMP_ACT_NOTIFY), or null
 * @param killUnread stdout is a pipe the caller reads: the container is killed once no one holds
 *     its read end (the caller died)
 */
public record LaunchPlan(
    Spec spec,
    Path bundle,
    Path rootfs,
    Path stateDir,
    Map<String, Path> cgroupDirs,
    byte[] seccompFilter,
    int seccompFlags,
    String consoleSocket,
    boolean pauseForHooks,
    boolean handoff,
    LogConfig log,
    boolean openStdin,
    List<String> exitCommand,
    boolean relayTerminal,
    boolean cgroupHandshake,
    SeccompListener seccompListener,
    boolean killUnread) {

  public LaunchPlan {
    exitCommand = exitCommand == null ? List.of() : List.copyOf(exitCommand);
  }

  /** The container outlives its caller. */
  public LaunchPlan(Spec spec, Path bundle, Path rootfs, Path stateDir, Map<String, Path> cgroupDirs,
      byte[] seccompFilter, int seccompFlags, String consoleSocket, boolean pauseForHooks, boolean handoff,
      LogConfig log, boolean openStdin, List<String> exitCommand, boolean relayTerminal, boolean cgroupHandshake,
      SeccompListener seccompListener) {
    this(spec, bundle, rootfs, stateDir, cgroupDirs, seccompFilter, seccompFlags, consoleSocket, pauseForHooks,
        handoff, log, openStdin, exitCommand, relayTerminal, cgroupHandshake, seccompListener, false);
  }

  /** Without seccomp agent. */
  public LaunchPlan(Spec spec, Path bundle, Path rootfs, Path stateDir, Map<String, Path> cgroupDirs,
      byte[] seccompFilter, int seccompFlags, String consoleSocket, boolean pauseForHooks, boolean handoff,
      LogConfig log, boolean openStdin, List<String> exitCommand, boolean relayTerminal, boolean cgroupHandshake) {
    this(spec, bundle, rootfs, stateDir, cgroupDirs, seccompFilter, seccompFlags, consoleSocket, pauseForHooks,
        handoff, log, openStdin, exitCommand, relayTerminal, cgroupHandshake, null);
  }

  /** Without the cgroup handshake: the cgroup exists before the init. */
  public LaunchPlan(Spec spec, Path bundle, Path rootfs, Path stateDir, Map<String, Path> cgroupDirs,
      byte[] seccompFilter, int seccompFlags, String consoleSocket, boolean pauseForHooks, boolean handoff,
      LogConfig log, boolean openStdin, List<String> exitCommand, boolean relayTerminal) {
    this(spec, bundle, rootfs, stateDir, cgroupDirs, seccompFilter, seccompFlags, consoleSocket, pauseForHooks,
        handoff, log, openStdin, exitCommand, relayTerminal, false);
  }

  public LaunchPlan(Spec spec, Path bundle, Path rootfs, Path stateDir, Map<String, Path> cgroupDirs,
      byte[] seccompFilter, int seccompFlags, String consoleSocket, boolean pauseForHooks, boolean handoff) {
    this(spec, bundle, rootfs, stateDir, cgroupDirs, seccompFilter, seccompFlags, consoleSocket, pauseForHooks,
        handoff, null, false, null, false);
  }

  private static final int HOOK_CREATE_CONTAINER = 1;
  private static final int HOOK_START_CONTAINER = 2;

  /** The devices runc gives every container, before the spec's own. */
  private static final List<Spec.Device> DEFAULT_DEVICES = List.of(
      charDevice("/dev/null", 1, 3), charDevice("/dev/zero", 1, 5), charDevice("/dev/full", 1, 7),
      charDevice("/dev/random", 1, 8), charDevice("/dev/urandom", 1, 9), charDevice("/dev/tty", 5, 0));

  private static final String[][] DEFAULT_SYMLINKS = {
    {"/proc/self/fd", "/dev/fd"}, {"/proc/self/fd/0", "/dev/stdin"},
    {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
    {"pts/ptmx", "/dev/ptmx"}, {"/proc/kcore", "/dev/core"}
  };

  /** The devices every container gets (unless its linux.devices redefines their path). */
  static List<Spec.Device> defaultDevices() {
    return DEFAULT_DEVICES;
  }

  private static Spec.Device charDevice(String path, long major, long minor) {
    return new Spec.Device("c", path, major, minor, 0666, 0L, 0L);
  }

  /** Default devices plus the spec's; a spec device replaces a default at the same path. */
  public static List<Spec.Device> devices(Spec spec) {
    Map<String, Spec.Device> byPath = new LinkedHashMap<>();
    for (Spec.Device d : DEFAULT_DEVICES) {
      byPath.put(d.path(), d);
    }
    if (spec.linux() != null && spec.linux().devices() != null) {
      for (Spec.Device d : spec.linux().devices()) {
        byPath.put(d.path(), d);
      }
    }
    return new ArrayList<>(byPath.values());
  }

  public byte[] encode() {
    PlanWriter w = new PlanWriter();
    Spec.Linux linux = spec.linux() != null ? spec.linux() : emptyLinux();
    Spec.Process process = spec.process();
    boolean newUserNs = namespaces(w, linux);
    if (newUserNs) {
      w.strings(Tag.UID_MAP, idMap(linux.uidMappings()));
      w.strings(Tag.GID_MAP, idMap(linux.gidMappings()));
    }
    if (cgroupHandshake) {
      w.begin().end(Tag.CGROUP_HANDSHAKE);
    }
    for (Path dir : cgroupDirs.values()) {
      w.strings(Tag.CGROUP_PROCS, dir.resolve("cgroup.procs").toString());
    }
    w.strings(Tag.ROOTFS, rootfs.toString());
    if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
      w.begin().u64(MountOptions.PROPAGATION.get(linux.rootfsPropagation())).end(Tag.ROOT_PROPAGATION);
    }
    if (spec.root().isReadonly()) {
      w.begin().end(Tag.ROOT_READONLY);
    }
    mounts(w);
    if (hasMountNamespace(linux)) { // without one, /dev is the rootfs's own, on disk: left alone
      for (Spec.Device d : devices(spec)) {
        w.begin().u64(d.type().charAt(0)).u64(orZero(d.major())).u64(orZero(d.minor()))
            .u64(d.fileMode() == null ? 0666 : d.fileMode()).u64(orZero(d.uid())).u64(orZero(d.gid()))
            .str(d.path()).end(Tag.DEVICE);
      }
      for (String[] link : DEFAULT_SYMLINKS) {
        w.strings(Tag.SYMLINK, link[0], link[1]);
      }
    }
    for (String p : orEmpty(linux.maskedPaths())) {
      w.strings(Tag.MASK_PATH, p);
    }
    for (String p : orEmpty(linux.readonlyPaths())) {
      w.strings(Tag.READONLY_PATH, p);
    }
    if (spec.hostname() != null && !spec.hostname().isEmpty()) {
      w.strings(Tag.HOSTNAME, spec.hostname());
    }
    if (spec.domainname() != null && !spec.domainname().isEmpty()) {
      w.strings(Tag.DOMAINNAME, spec.domainname());
    }
    if (linux.sysctl() != null) {
      linux.sysctl().forEach((k, v) -> w.strings(Tag.SYSCTL, k, v));
    }
    ProcessRecords.write(w, process, seccompFilter, seccompFlags, consoleSocket, relayTerminal);
    if (seccompListener != null) {
      seccompListener.write(w);
    }
    w.strings(Tag.STATE_DIR, stateDir.toString());
    hooks(w);
    if (handoff) {
      w.begin().end(Tag.HANDOFF);
    }
    if (log != null) {
      String path = log.path() == null ? "" : log.path().toAbsolutePath().toString();
      w.begin().u64(log.maxSize()).u64(log.maxFiles()).str(path).end(Tag.LOG);
    }
    if (openStdin) {
      w.begin().end(Tag.STDIN_OPEN);
    }
    if (!exitCommand.isEmpty()) {
      w.strings(Tag.EXIT_COMMAND, exitCommand.toArray(String[]::new));
    }
    if (killUnread) {
      w.begin().end(Tag.KILL_UNREAD);
    }
    return w.finish();
  }

  private static Spec.Linux emptyLinux() {
    return new Spec.Linux(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static boolean hasMountNamespace(Spec.Linux linux) {
    return orEmpty(linux.namespaces()).stream().anyMatch(ns -> NamespaceType.MOUNT.specName().equals(ns.type()));
  }

  /** Writes namespace records; returns whether a new user namespace is created. */
  private static boolean namespaces(PlanWriter w, Spec.Linux linux) {
    long flags = 0;
    for (Spec.Namespace ns : orEmpty(linux.namespaces())) {
      NamespaceType type = NamespaceType.fromSpecName(ns.type()).orElseThrow();
      if (ns.path() == null || ns.path().isEmpty()) {
        flags |= type.cloneFlag();
      } else {
        w.begin().u64(type.cloneFlag()).str(ns.path()).end(Tag.JOIN_NS);
      }
    }
    w.begin().u64(flags).end(Tag.CLONE_FLAGS);
    return (flags & NamespaceType.USER.cloneFlag()) != 0;
  }

  private static String idMap(List<Spec.IdMapping> mappings) {
    StringBuilder sb = new StringBuilder();
    for (Spec.IdMapping m : orEmpty(mappings)) {
      sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
    }
    return sb.toString();
  }

  private void mounts(PlanWriter w) {
    for (Spec.Mount m : spec.mountsOrEmpty()) {
      MountOptions o = MountOptions.parse(m.type(), m.optionsOrEmpty());
      if ("cgroup".equals(m.type())) {
        cgroupMount(w, m.destination(), o);
        continue;
      }
      String source = m.source() == null ? "" : m.source();
      if (o.bind() && !source.startsWith("/")) {
        source = bundle.resolve(source).toString(); // relative sources are relative to the bundle
      }
      String type = o.bind() || m.type() == null ? "" : m.type();
      mount(w, o.flags(), o.propagation(), o.bind(), source, m.destination(), type, o.data());
      if (o.recursive().any()) {
        w.begin().u64(o.recursive().set()).u64(o.recursive().clear()).end(Tag.MOUNT_RECURSIVE);
      }
    }
  }

  private static void mount(PlanWriter w, long flags, long propagation, boolean bind, String source,
      String target, String type, String data) {
    w.begin().u64(flags).u64(propagation).u64(bind ? 1 : 0)
        .str(source).str(target).str(type).str(data).end(Tag.MOUNT);
  }

  /**
   * A "cgroup" mount shows the container its own cgroups. A fresh v1 mount cannot be made (each
   * controller is already bound to a host hierarchy), so, as runc does, it becomes a tmpfs with a
   * bind of the container's directory for each hierarchy, then the tmpfs is made read-only if asked.
   */
  private void cgroupMount(PlanWriter w, String dest, MountOptions o) {
    long flags = o.flags() & ~MountOptions.MS_BIND;
    if (cgroupDirs.size() == 1 && cgroupDirs.containsKey("unified")) {
      mount(w, flags | MountOptions.MS_BIND | MountOptions.MS_REC, o.propagation(), true,
          cgroupDirs.get("unified").toString(), dest, "", "");
      return;
    }
    long tmpfsFlags = flags & ~MountOptions.MS_RDONLY;
    mount(w, tmpfsFlags, 0, false, "tmpfs", dest, "tmpfs", "mode=755");
    cgroupDirs.forEach((name, dir) ->
        mount(w, flags | MountOptions.MS_BIND | MountOptions.MS_REC, 0, true, dir.toString(),
            dest + "/" + name, "", ""));
    if ((flags & MountOptions.MS_RDONLY) != 0) {
      mount(w, tmpfsFlags | MountOptions.MS_REMOUNT | MountOptions.MS_RDONLY, 0, false, "tmpfs", dest,
          "tmpfs", "mode=755");
    }
  }

  private void hooks(PlanWriter w) {
    if (pauseForHooks) {
      w.begin().end(Tag.HOOK_PAUSE);
    }
    Spec.Hooks hooks = spec.hooks();
    if (hooks == null) {
      return;
    }
    hookRecords(w, HOOK_CREATE_CONTAINER, hooks.createContainer());
    hookRecords(w, HOOK_START_CONTAINER, hooks.startContainer());
  }

  private static void hookRecords(PlanWriter w, int phase, List<Spec.Hook> hooks) {
    for (Spec.Hook h : orEmpty(hooks)) {
      List<String> argv = h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args();
      List<String> env = orEmpty(h.env());
      w.begin().u64(phase).u64(h.timeout() == null ? 0 : h.timeout()).u64(argv.size()).u64(env.size());
      w.str(h.path());
      argv.subList(1, argv.size()).forEach(w::str);
      env.forEach(w::str);
      w.end(Tag.HOOK);
    }
  }

  static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
