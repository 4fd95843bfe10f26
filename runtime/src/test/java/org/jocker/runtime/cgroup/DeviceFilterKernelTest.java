package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jocker.runtime.plan.DeviceRules;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.testing.HostDisk;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device filter on the real kernel. Each rule set goes through the runtime's own path
 * (Cgroups.forContainer with a layout that has only the cgroup2 mount, as on a pure v2 host: so
 * V2Devices loads and attaches the program) into a fresh cgroup under the host's cgroup2 mount; a
 * busybox shell is moved in and opens or mknods device nodes, and the kernel's answers are
 * compared with what the rules say. On this hybrid host the shell's v1 devices cgroup stays the
 * root, which allows everything, so every EPERM comes from the program; the same probes run
 * outside the cgroup first and must all succeed there, so the test cannot pass without it.
 *
 * <p>Probes use majors no driver has (3000+) unless they name a real device: an allowed open then
 * fails with ENXIO instead, a denied one with EPERM before any driver is looked up.
 */
class DeviceFilterKernelTest {
  private static final String DENIED = "Operation not permitted";

  @TempDir Path nodes;
  private final String name = "jocker-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final List<CgroupManager> managers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private CgroupLayout layout;
  private int seq;

  enum Op { READ, WRITE, READ_WRITE, MKNOD }

  /** One access to try: open (or mknod) a device node of this type and number. */
  record Probe(Op op, char type, long major, long minor, boolean allowed) {
    @Override
    public String toString() {
      return op + " " + type + " " + major + ":" + minor;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
    String cgroup2Only = Files.readString(Path.of("/proc/self/mountinfo")).lines()
        .filter(l -> l.contains(" - cgroup2 "))
        .collect(Collectors.joining("\n"));
    layout = CgroupLayout.parse(cgroup2Only, Files.readString(Path.of("/proc/self/cgroup")), Path.of("/"));
    assumeTrue(layout.unified().isPresent(), "needs a cgroup2 mount");
    // Our own v1 devices cgroup (if any) must allow everything, or the EPERMs would prove nothing.
    Path v1Devices = Path.of("/sys/fs/cgroup/devices/devices.list");
    if (Files.exists(v1Devices)) {
      assertThat(Files.readString(Path.of("/proc/self/cgroup"))).containsPattern("(?m)^\\d+:devices:/$");
      assertThat(Files.readString(v1Devices).strip()).isEqualTo("a *:* rwm");
    }
  }

  @AfterEach
  void cleanUp() {
    processes.forEach(Process::destroyForcibly);
    for (CgroupManager m : managers) {
      try {
        m.destroy();
      } catch (RuntimeException e) {
        // the removal below retries
      }
    }
    if (layout != null && layout.unified().isPresent()) {
      for (Path dir : CgroupCleanup.list(layout.unified().get().mountPoint())) {
        if (dir.getFileName().toString().startsWith(name)) {
          CgroupCleanup.removeTree(dir);
        }
      }
    }
  }

  @Test
  void typeAndExactNumbers() throws Exception {
    check(List.of(deny("a", null, null, "rwm"), allow("c", 3000L, 7L, "rwm")),
        new Probe(Op.READ, 'c', 3000, 7, true),
        new Probe(Op.WRITE, 'c', 3000, 7, true),
        new Probe(Op.MKNOD, 'c', 3000, 7, true),
        new Probe(Op.READ, 'b', 3000, 7, false),
        new Probe(Op.MKNOD, 'b', 3000, 7, false),
        new Probe(Op.READ, 'c', 3000, 8, false),
        new Probe(Op.READ, 'c', 3001, 7, false));
  }

  @Test
  void wildcardMajorOrMinor() throws Exception {
    check(List.of(deny("a", null, null, "rwm"), allow("c", 3000L, -1L, "rw"), allow("b", null, 9L, "r")),
        new Probe(Op.READ, 'c', 3000, 1, true),
        new Probe(Op.WRITE, 'c', 3000, 99, true),
        new Probe(Op.MKNOD, 'c', 3000, 1, false),
        new Probe(Op.READ, 'c', 3001, 1, false),
        new Probe(Op.READ, 'b', 3005, 9, true),
        new Probe(Op.READ, 'b', 3006, 9, true),
        new Probe(Op.WRITE, 'b', 3005, 9, false),
        new Probe(Op.READ, 'b', 3005, 8, false),
        new Probe(Op.READ, 'c', 3005, 9, false));
  }

  @Test
  void accessSubsets() throws Exception {
    check(List.of(deny("a", null, null, "rwm"), allow("c", 3000L, 7L, "r"), allow("c", 3000L, 8L, "w"),
            allow("c", 3000L, 9L, "m"), allow("c", 3000L, 10L, "r"), allow("c", 3000L, 10L, "w")),
        new Probe(Op.READ, 'c', 3000, 7, true),
        new Probe(Op.WRITE, 'c', 3000, 7, false),
        new Probe(Op.READ_WRITE, 'c', 3000, 7, false),
        new Probe(Op.MKNOD, 'c', 3000, 7, false),
        new Probe(Op.READ, 'c', 3000, 8, false),
        new Probe(Op.WRITE, 'c', 3000, 8, true),
        new Probe(Op.MKNOD, 'c', 3000, 9, true),
        new Probe(Op.READ, 'c', 3000, 9, false),
        // two rules for one device add up, as v1's list merges them
        new Probe(Op.READ_WRITE, 'c', 3000, 10, true));
  }

  @Test
  void laterRulesWin() throws Exception {
    check(List.of(allow("a", null, null, "rwm"), deny("c", 3000L, 7L, "w"), deny("b", null, null, "rwm"),
            allow("b", 3002L, 1L, "r")),
        new Probe(Op.READ, 'c', 3000, 7, true),
        new Probe(Op.WRITE, 'c', 3000, 7, false),
        new Probe(Op.READ_WRITE, 'c', 3000, 7, false),
        new Probe(Op.WRITE, 'c', 3000, 8, true),
        new Probe(Op.MKNOD, 'c', 3001, 1, true),
        new Probe(Op.READ, 'b', 3002, 2, false),
        new Probe(Op.MKNOD, 'b', 3002, 5, false),
        new Probe(Op.READ, 'b', 3002, 1, true),
        new Probe(Op.WRITE, 'b', 3002, 1, false));
  }

  @Test
  void aDenyAllAfterAllowsWins() throws Exception {
    check(List.of(allow("a", null, null, "rwm"), allow("c", 3000L, 7L, "rwm"), deny(null, null, null, null)),
        new Probe(Op.READ, 'c', 3000, 7, false),
        new Probe(Op.MKNOD, 'c', 3000, 7, false),
        new Probe(Op.READ, 'b', 3000, 7, false));
  }

  /** The rules a default container gets (the engine's and the runtime's), and the escape itself. */
  @Test
  void dockerDefaultSetDeniesTheHostDisk() throws Exception {
    List<Spec.DeviceRule> rules = DeviceRules.complete(DefaultSpec.create(List.of("true"), false)).devices();
    HostDisk disk = HostDisk.find(nodes);
    check(rules,
        new Probe(Op.READ, 'b', disk.major(), disk.minor(), false), // a host disk
        new Probe(Op.MKNOD, 'b', disk.major(), disk.minor(), true), // mknod is allowed, opening is not
        new Probe(Op.READ, 'c', 1, 1, false), // /dev/mem
        new Probe(Op.READ, 'c', 10, 200, false), // /dev/net/tun
        new Probe(Op.READ, 'b', 7, 0, false), // loop0
        new Probe(Op.READ_WRITE, 'c', 1, 3, true), // null
        new Probe(Op.READ_WRITE, 'c', 1, 5, true), // zero
        new Probe(Op.READ_WRITE, 'c', 1, 7, true), // full
        new Probe(Op.READ_WRITE, 'c', 1, 8, true), // random
        new Probe(Op.READ_WRITE, 'c', 1, 9, true), // urandom
        new Probe(Op.READ_WRITE, 'c', 5, 0, true), // tty
        new Probe(Op.READ_WRITE, 'c', 5, 2, true), // ptmx
        new Probe(Op.READ_WRITE, 'c', 136, 3000, true), // pts/3000
        new Probe(Op.MKNOD, 'c', 3000, 1, true));
  }

  /** A directory that is no cgroup (a broken mount, say) is refused in one line, not ignored. */
  @Test
  void aDirectoryThatIsNoCgroupIsAnError() {
    Path fakeMount = nodes.resolve("not-cgroupfs");
    CgroupLayout fake = new CgroupLayout(List.of(new Hierarchy(fakeMount, "/", true, Set.of(), "/")));
    CgroupManager manager = Cgroups.forContainer(fake, "/x", "x");
    manager.create();
    assertThatThrownBy(() -> manager.apply(new Spec.Resources(List.of(deny("a", null, null, "rwm")),
            null, null, null, null, null)))
        .isInstanceOf(CgroupException.class)
        .hasMessage("cgroup devices: cannot attach the device filter to " + fakeMount.resolve("x")
            + ": bpf(BPF_PROG_ATTACH): Bad file descriptor");
  }

  /**
   * Makes the nodes, runs the probes outside any filter (all must succeed: the nodes work) and
   * then in a cgroup with the rules' program, and compares the kernel's answers.
   */
  private void check(List<Spec.DeviceRule> rules, Probe... probes) throws Exception {
    int n = seq++;
    StringBuilder setup = new StringBuilder("set -e\n");
    for (int i = 0; i < probes.length; i++) {
      Probe p = probes[i];
      if (p.op() != Op.MKNOD) {
        setup.append("mknod ").append(node(n, "n" + i)).append(' ').append(p.type()).append(' ')
            .append(p.major()).append(' ').append(p.minor()).append('\n');
      }
    }
    Process made = new ProcessBuilder(TestBundle.BUSYBOX.toString(), "sh", "-c", setup.toString())
        .redirectErrorStream(true).start();
    processes.add(made);
    assertThat(made.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(made.exitValue()).as(new String(made.getInputStream().readAllBytes())).isZero();

    List<String> outside = run(probes, n, "out", null);
    for (int i = 0; i < probes.length; i++) {
      assertThat(outside.get(i)).as("outside the filter: " + probes[i]).doesNotContain(DENIED);
    }

    CgroupManager cgroup = Cgroups.forContainer(layout, "/" + name + "-" + n, name + "-" + n);
    managers.add(cgroup);
    cgroup.create();
    cgroup.apply(new Spec.Resources(rules, null, null, null, null, null));
    List<String> inside = run(probes, n, "in", cgroup);
    for (int i = 0; i < probes.length; i++) {
      if (probes[i].allowed()) {
        assertThat(inside.get(i)).as("allowed: " + probes[i]).doesNotContain(DENIED);
      } else {
        assertThat(inside.get(i)).as("denied: " + probes[i]).contains(DENIED);
      }
    }
    cgroup.destroy();
  }

  /**
   * Runs all probes in one busybox shell, placed in the cgroup (if any) before it starts probing:
   * each probe's error message, empty when it succeeded.
   */
  private List<String> run(Probe[] probes, int n, String prefix, CgroupManager cgroup) throws Exception {
    StringBuilder script = new StringBuilder("read go\n");
    for (int i = 0; i < probes.length; i++) {
      Probe p = probes[i];
      String node = node(n, "n" + i);
      String attempt = switch (p.op()) {
        case READ -> "exec 3<" + node;
        case WRITE -> "exec 3>" + node;
        case READ_WRITE -> "exec 3<>" + node;
        case MKNOD -> "mknod " + node(n, prefix + "m" + i) + " " + p.type() + " " + p.major() + " " + p.minor();
      };
      script.append("r=$( (").append(attempt).append(") 2>&1 ); echo \"").append(i).append(":$r\"\n");
    }
    Process sh = new ProcessBuilder(TestBundle.BUSYBOX.toString(), "sh", "-c", script.toString())
        .redirectErrorStream(true).start();
    processes.add(sh);
    if (cgroup != null) {
      cgroup.addProcess(sh.pid());
    }
    try (OutputStream in = sh.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> answers = new ArrayList<>();
    for (String line : out.lines().toList()) {
      int colon = line.indexOf(':');
      assertThat(line.substring(0, colon)).as(out).isEqualTo(Integer.toString(answers.size()));
      answers.add(line.substring(colon + 1));
    }
    assertThat(answers).as(out).hasSize(probes.length);
    return answers;
  }

  private String node(int n, String label) {
    return nodes.resolve(n + label).toString();
  }

  private static Spec.DeviceRule allow(String type, Long major, Long minor, String access) {
    return new Spec.DeviceRule(true, type, major, minor, access);
  }

  private static Spec.DeviceRule deny(String type, Long major, Long minor, String access) {
    return new Spec.DeviceRule(false, type, major, minor, access);
  }
}
