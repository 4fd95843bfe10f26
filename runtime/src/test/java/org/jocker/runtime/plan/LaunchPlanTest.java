package org.jocker.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jocker.runtime.plan.PlanReader.all;
import static org.jocker.runtime.plan.PlanReader.one;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

/** The spec → plan translation, decoded as the launcher decodes it. */
class LaunchPlanTest {
  private static final Path BUNDLE = Path.of("/b");

  private static List<PlanReader.Rec> encode(Spec spec, Map<String, Path> cgroups, boolean handoff) {
    return PlanReader.read(new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), cgroups,
        new byte[16], 4, "/run/console.sock", false, handoff).encode());
  }

  private static Spec withMounts(Spec s, List<Spec.Mount> mounts) {
    return new Spec(s.ociVersion(), s.process(), s.root(), s.hostname(), s.domainname(), mounts,
        s.hooks(), s.annotations(), s.linux());
  }

  @Test
  void defaultSpecBecomesTheExpectedRecords() {
    Spec spec = DefaultSpec.create(List.of("sh", "-c", "echo hi"), false);
    Map<String, Path> cgroups = new LinkedHashMap<>();
    cgroups.put("memory", Path.of("/sys/fs/cgroup/memory/jocker/c"));
    cgroups.put("pids", Path.of("/sys/fs/cgroup/pids/jocker/c"));
    List<PlanReader.Rec> recs = encode(spec, cgroups, false);

    // pid, network, ipc, uts, mount, cgroup are all new
    assertThat(one(recs, Tag.CLONE_FLAGS).u64(0)).isEqualTo(0x20000000L | 0x40000000L | 0x08000000L
        | 0x04000000L | 0x00020000L | 0x02000000L);
    assertThat(all(recs, Tag.JOIN_NS)).isEmpty();
    assertThat(all(recs, Tag.UID_MAP)).isEmpty();
    assertThat(all(recs, Tag.CGROUP_PROCS)).extracting(r -> r.strings(0).get(0))
        .containsExactly("/sys/fs/cgroup/memory/jocker/c/cgroup.procs", "/sys/fs/cgroup/pids/jocker/c/cgroup.procs");
    assertThat(one(recs, Tag.ROOTFS).strings(0)).containsExactly("/b/rootfs");
    assertThat(all(recs, Tag.ROOT_READONLY)).hasSize(1);
    assertThat(all(recs, Tag.ARG)).extracting(r -> r.strings(0).get(0)).containsExactly("sh", "-c", "echo hi");
    assertThat(one(recs, Tag.CWD).strings(0)).containsExactly("/");
    assertThat(one(recs, Tag.HOSTNAME).strings(0)).containsExactly("jocker");
    assertThat(all(recs, Tag.NO_NEW_PRIVS)).hasSize(1);
    assertThat(one(recs, Tag.SECCOMP).u64(0)).isEqualTo(4);
    assertThat(one(recs, Tag.STATE_DIR).strings(0)).containsExactly("/state/c");
    assertThat(all(recs, Tag.CONSOLE_SOCKET)).isEmpty(); // no terminal asked
    assertThat(all(recs, Tag.HANDOFF)).isEmpty();
    // bounding set: Docker's 14 capabilities, CAP_CHOWN (bit 0) in, CAP_SYS_ADMIN (21) out
    long bounding = one(recs, Tag.CAPS).u64(0);
    assertThat(Long.bitCount(bounding)).isEqualTo(14);
    assertThat(bounding & 1).isEqualTo(1);
    assertThat(bounding & (1L << 21)).isZero();
    // default devices, then /dev symlinks
    assertThat(all(recs, Tag.DEVICE)).extracting(r -> r.strings(6).get(0))
        .containsExactly("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
    PlanReader.Rec nul = all(recs, Tag.DEVICE).get(0);
    assertThat(List.of(nul.u64(0), nul.u64(1), nul.u64(2), nul.u64(3))).containsExactly((long) 'c', 1L, 3L, 0666L);
    assertThat(all(recs, Tag.SYMLINK)).extracting(r -> r.strings(0))
        .contains(List.of("pts/ptmx", "/dev/ptmx"), List.of("/proc/self/fd", "/dev/fd"));
    assertThat(all(recs, Tag.MASK_PATH)).extracting(r -> r.strings(0).get(0)).contains("/proc/kcore");
    assertThat(all(recs, Tag.READONLY_PATH)).extracting(r -> r.strings(0).get(0)).contains("/proc/sys");
    PlanReader.Rec nofile = one(recs, Tag.RLIMIT);
    assertThat(List.of(nofile.u64(0), nofile.u64(1), nofile.u64(2))).containsExactly(7L, 1024L, 1024L);
    assertThat(nofile.strings(3)).containsExactly("RLIMIT_NOFILE");
  }

  @Test
  void mountsCarryFlagsDataAndBundleRelativeSources() {
    Spec base = DefaultSpec.create(List.of("true"), false);
    List<Spec.Mount> mounts = new ArrayList<>();
    mounts.add(new Spec.Mount("/data", "bind", "data", List.of("rbind", "ro", "rprivate"), null, null));
    mounts.add(new Spec.Mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", "size=1m"), null, null));
    List<PlanReader.Rec> recs = encode(withMounts(base, mounts), Map.of(), false);
    List<PlanReader.Rec> m = all(recs, Tag.MOUNT);
    assertThat(m).hasSize(2);
    PlanReader.Rec bind = m.get(0);
    assertThat(bind.u64(0)).isEqualTo(MountOptions.MS_BIND | MountOptions.MS_REC | MountOptions.MS_RDONLY);
    assertThat(bind.u64(1)).isEqualTo(MountOptions.MS_PRIVATE | MountOptions.MS_REC);
    assertThat(bind.u64(2)).isEqualTo(1); // bind kind
    assertThat(bind.strings(3)).containsExactly("/b/data", "/data", "", "");
    PlanReader.Rec tmpfs = m.get(1);
    assertThat(tmpfs.u64(0)).isEqualTo(MountOptions.MS_NOSUID | MountOptions.MS_NODEV);
    assertThat(tmpfs.u64(2)).isZero();
    assertThat(tmpfs.strings(3)).containsExactly("tmpfs", "/tmp", "tmpfs", "mode=1777,size=1m");
  }

  @Test
  void aCgroupMountShowsTheContainersOwnCgroupsOnV1AndV2() {
    Spec base = DefaultSpec.create(List.of("true"), false);
    List<Spec.Mount> cg = List.of(new Spec.Mount("/sys/fs/cgroup", "cgroup", "cgroup",
        List.of("nosuid", "noexec", "nodev", "ro"), null, null));
    Map<String, Path> v1 = new LinkedHashMap<>();
    v1.put("memory", Path.of("/sys/fs/cgroup/memory/jocker/c"));
    v1.put("unified", Path.of("/sys/fs/cgroup/unified/jocker/c"));
    List<PlanReader.Rec> m = all(encode(withMounts(base, cg), v1, false), Tag.MOUNT);
    assertThat(m).extracting(r -> r.strings(3).subList(0, 3)).containsExactly(
        List.of("tmpfs", "/sys/fs/cgroup", "tmpfs"),
        List.of("/sys/fs/cgroup/memory/jocker/c", "/sys/fs/cgroup/memory", ""),
        List.of("/sys/fs/cgroup/unified/jocker/c", "/sys/fs/cgroup/unified", ""),
        List.of("tmpfs", "/sys/fs/cgroup", "tmpfs"));
    assertThat(m.get(1).u64(0) & MountOptions.MS_RDONLY).isNotZero(); // each bind is read-only
    assertThat(m.get(3).u64(0) & (MountOptions.MS_REMOUNT | MountOptions.MS_RDONLY))
        .isEqualTo(MountOptions.MS_REMOUNT | MountOptions.MS_RDONLY);

    Map<String, Path> v2 = Map.of("unified", Path.of("/sys/fs/cgroup/jocker/c"));
    List<PlanReader.Rec> pure = all(encode(withMounts(base, cg), v2, false), Tag.MOUNT);
    assertThat(pure).hasSize(1);
    assertThat(pure.get(0).strings(3).subList(0, 2)).containsExactly("/sys/fs/cgroup/jocker/c", "/sys/fs/cgroup");
  }

  @Test
  void userNamespaceMappingsAndJoinedNamespaces() {
    Spec base = DefaultSpec.create(List.of("true"), false);
    Spec.Linux l = base.linux();
    List<Spec.Namespace> ns = new ArrayList<>(l.namespaces());
    ns.add(new Spec.Namespace("user", null));
    ns.replaceAll(n -> n.type().equals("network") ? new Spec.Namespace("network", "/run/netns/x") : n);
    Spec.Linux linux = new Spec.Linux(ns, List.of(new Spec.IdMapping(0, 100000, 65536)),
        List.of(new Spec.IdMapping(0, 200000, 1000), new Spec.IdMapping(1000, 1000, 1)), null, null,
        l.resources(), null, null, null, l.maskedPaths(), l.readonlyPaths(), null);
    Spec spec = new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null,
        base.mounts(), null, null, linux);
    List<PlanReader.Rec> recs = encode(spec, Map.of(), true);
    assertThat(one(recs, Tag.CLONE_FLAGS).u64(0) & 0x10000000L).isNotZero();
    assertThat(one(recs, Tag.CLONE_FLAGS).u64(0) & 0x40000000L).isZero();
    PlanReader.Rec join = one(recs, Tag.JOIN_NS);
    assertThat(join.u64(0)).isEqualTo(0x40000000L);
    assertThat(join.strings(1)).containsExactly("/run/netns/x");
    assertThat(one(recs, Tag.UID_MAP).strings(0)).containsExactly("0 100000 65536\n");
    assertThat(one(recs, Tag.GID_MAP).strings(0)).containsExactly("0 200000 1000\n1000 1000 1\n");
    assertThat(all(recs, Tag.HANDOFF)).hasSize(1);
  }

  @Test
  void aTerminalWithoutConsoleSocketStaysWithTheMonitorAndAnOpenStdinIsARecord() {
    Spec spec = DefaultSpec.create(List.of("sh"), true);
    byte[] plan = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[0], 0,
        null, false, false, new org.jocker.runtime.launch.LogConfig(Path.of("/c/container.log"), 1024, 2), true, null, false)
        .encode();
    assertThat(all(PlanReader.read(plan), Tag.TERMINAL_MONITOR)).hasSize(1);
    assertThat(all(PlanReader.read(plan), Tag.CONSOLE_SOCKET)).isEmpty();
    assertThat(all(PlanReader.read(plan), Tag.STDIN_OPEN)).hasSize(1);
    byte[] withSocket = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(),
        new byte[0], 0, "/run/console.sock", false, false).encode();
    assertThat(all(PlanReader.read(withSocket), Tag.TERMINAL_MONITOR)).isEmpty();
    assertThat(all(PlanReader.read(withSocket), Tag.STDIN_OPEN)).isEmpty();
  }

  @Test
  void aRelayedTerminalIsARecordBesideTheMonitorsAndNoneWithAConsoleSocket() {
    Spec spec = DefaultSpec.create(List.of("sh"), true);
    byte[] relayed = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[0], 0,
        null, false, false, null, false, null, true).encode();
    assertThat(all(PlanReader.read(relayed), Tag.TERMINAL_MONITOR)).hasSize(1);
    assertThat(all(PlanReader.read(relayed), Tag.TERMINAL_RELAY)).hasSize(1);
    byte[] withSocket = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(),
        new byte[0], 0, "/run/console.sock", false, false, null, false, null, true).encode();
    assertThat(all(PlanReader.read(withSocket), Tag.TERMINAL_RELAY)).isEmpty();
    byte[] forAttach = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(),
        new byte[0], 0, null, false, false, null, false, null, false).encode();
    assertThat(all(PlanReader.read(forAttach), Tag.TERMINAL_RELAY)).isEmpty();
  }

  /** A build's RUN dies with its reader: a record of its own, only when asked for. */
  @Test
  void aKillWhenUnreadIsARecordOnlyWhenAsked() {
    Spec s = DefaultSpec.create(List.of("true"), false);
    byte[] plan = new LaunchPlan(s, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[0], 0,
        null, false, false, null, false, null, false, false, null, true).encode();
    assertThat(all(PlanReader.read(plan), Tag.KILL_UNREAD)).hasSize(1);
    assertThat(all(PlanReader.read(new LaunchPlan(s, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(),
        new byte[0], 0, null, false, false).encode()), Tag.KILL_UNREAD)).isEmpty();
  }

  /** A systemd scope is made once the init exists: the monitor then waits for Java before the cgroup.procs writes. */
  @Test
  void theCgroupHandshakeIsARecordBeforeTheCgroupsAndNoneWithout() {
    Spec spec = DefaultSpec.create(List.of("sh"), false);
    Map<String, Path> scope = Map.of("unified", Path.of("/sys/fs/cgroup/system.slice/jocker-c.scope"));
    List<PlanReader.Rec> recs = PlanReader.read(new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"),
        Path.of("/state/c"), scope, new byte[0], 0, null, false, false, null, false, null, false, true).encode());
    assertThat(all(recs, Tag.CGROUP_HANDSHAKE)).hasSize(1);
    assertThat(recs.indexOf(one(recs, Tag.CGROUP_HANDSHAKE))).isLessThan(recs.indexOf(one(recs, Tag.CGROUP_PROCS)));
    assertThat(all(encode(spec, scope, false), Tag.CGROUP_HANDSHAKE)).isEmpty();
  }

  @Test
  void aLogConfigBecomesOneLogRecordAndNoneWithout() {
    Spec spec = DefaultSpec.create(List.of("sh"), false);
    byte[] plan = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[0], 0,
        null, false, false, new org.jocker.runtime.launch.LogConfig(Path.of("/c/container.log"), 1024, 2), false, null, false)
        .encode();
    PlanReader.Rec log = one(PlanReader.read(plan), Tag.LOG);
    assertThat(log.u64(0)).isEqualTo(1024);
    assertThat(log.u64(1)).isEqualTo(2);
    assertThat(log.strings(2)).containsExactly("/c/container.log");
    assertThat(all(encode(spec, Map.of(), false), Tag.LOG)).isEmpty();
  }

  @Test
  void anExitCommandBecomesOneRecordOfItsArgumentsAndNoneWithout() {
    Spec spec = DefaultSpec.create(List.of("sh"), false);
    byte[] plan = new LaunchPlan(spec, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[0], 0,
        null, false, false, null, false, List.of("/usr/bin/jocker", "container", "cleanup", "abc"), false).encode();
    assertThat(one(PlanReader.read(plan), Tag.EXIT_COMMAND).strings(0))
        .containsExactly("/usr/bin/jocker", "container", "cleanup", "abc");
    assertThat(all(encode(spec, Map.of(), false), Tag.EXIT_COMMAND)).isEmpty();
  }

  /** Without a mount namespace /dev is the rootfs's own: no device or link is made in it; an exec enters the init's root. */
  @Test
  void withoutAMountNamespaceNothingIsMadeInDevAndAnExecIsChrooted() {
    Spec s = DefaultSpec.create(List.of("sh"), false);
    List<Spec.Namespace> noMount = s.linux().namespaces().stream().filter(n -> !n.type().equals("mount")).toList();
    Spec spec = new Spec(s.ociVersion(), s.process(), new Spec.Root("rootfs", false), null, null, List.of(), null,
        null, new Spec.Linux(noMount, null, null, null, null, null, null, null, null, null, null, null));
    List<PlanReader.Rec> recs = encode(spec, Map.of(), false);
    assertThat(one(recs, Tag.CLONE_FLAGS).u64(0) & 0x00020000L).isZero();
    assertThat(all(recs, Tag.DEVICE)).isEmpty();
    assertThat(all(recs, Tag.SYMLINK)).isEmpty();
    assertThat(all(encode(s, Map.of(), false), Tag.DEVICE)).isNotEmpty();

    List<NamespaceType> types = List.of(NamespaceType.PID);
    ExecPlan exec = new ExecPlan(s.process(), 42, types, Map.of(), Path.of("/state/c"), new byte[0], 0, null, false,
        false, false);
    assertThat(one(PlanReader.read(exec.encode()), Tag.CHROOT).strings(0)).containsExactly("/proc/42/root");
    ExecPlan withMounts = new ExecPlan(s.process(), 42, List.of(NamespaceType.MOUNT),
        Map.of(), Path.of("/state/c"), new byte[0], 0, null, false, false, false);
    assertThat(all(PlanReader.read(withMounts.encode()), Tag.CHROOT)).isEmpty();
  }

  /** The listener record: the monitor passes a NOTIFY filter's listener on to the agent. */
  @Test
  void seccompListenerIsARecordOfItsOwn() {
    Spec s = DefaultSpec.create(List.of("true"), false);
    SeccompListener listener = new SeccompListener("/run/agent.sock", "\"bar\"", "{\"id\":\"c\"", 0);
    byte[] plan = new LaunchPlan(s, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(), new byte[16],
        8, null, false, false, null, false, null, false, false, listener).encode();
    PlanReader.Rec rec = one(PlanReader.read(plan), Tag.SECCOMP_LISTENER);
    assertThat(rec.u64(0)).isZero();
    assertThat(rec.strings(1)).containsExactly("/run/agent.sock", "\"bar\"", "{\"id\":\"c\"");

    ExecPlan exec = new ExecPlan(s.process(), 42, List.of(), Map.of(), Path.of("/state/c"), new byte[16], 8, null,
        false, false, false, new SeccompListener("/run/agent.sock", "", "{", 42));
    PlanReader.Rec execRec = one(PlanReader.read(exec.encode()), Tag.SECCOMP_LISTENER);
    assertThat(execRec.u64(0)).isEqualTo(42);
    assertThat(execRec.strings(1)).containsExactly("/run/agent.sock", "", "{");
    assertThat(all(PlanReader.read(new LaunchPlan(s, BUNDLE, Path.of("/b/rootfs"), Path.of("/state/c"), Map.of(),
        new byte[16], 0, null, false, false).encode()), Tag.SECCOMP_LISTENER)).isEmpty();
  }
}
