package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.linux.Capability;
import org.junit.jupiter.api.Test;

/** Known container escapes through the runtime, tried from inside a container. */
class EscapeDefenceTest extends KernelTestBase {

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  /** Every capability this (root) test process holds: the most a container can be given here. */
  static List<String> allOurCaps() throws Exception {
    long prm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapPrm:"))
        .map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16)).findFirst().orElseThrow();
    return java.util.Arrays.stream(Capability.values()).filter(c -> (prm & c.bit()) != 0).map(Enum::name).toList();
  }

  /**
   * CVE-2019-5736: sharing the host pid namespace, the container's parent is the monitor; even
   * with every capability (so ptrace access checks pass) its exe must not be writable.
   */
  @Test
  void monitorExecutableCannotBeOverwritten() throws Exception {
    Path launcher = Launcher.locate();
    String before = sha256(launcher);
    List<String> caps = allOurCaps();
    assertThat(caps).contains("CAP_SYS_PTRACE", "CAP_SYS_ADMIN", "CAP_DAC_OVERRIDE");
    Bundle b = shBundle("echo monitor=$PPID; readlink /proc/$PPID/exe; head -c 4 /proc/$PPID/exe | od -An -c;"
        + " echo x > /proc/$PPID/exe; echo write=$?; echo x >> /proc/$PPID/exe; echo append=$?;"
        + " sleep 0.2 & wait", j -> {
          removeNamespace(j, "pid");
          setCaps(j, caps, false);
          j.withObject("/root").put("readonly", false);
        });
    String id = newId("cve5736");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    int monitor = monitorPid(id);
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + monitor + "/exe")).toString())
        .isEqualTo("/memfd:jocker-launcher (deleted)");
    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
    List<String> out = b.read("stdout").lines().toList();
    assertThat(out.get(0)).isEqualTo("monitor=" + monitor);
    assertThat(out.get(1)).isEqualTo("/memfd:jocker-launcher (deleted)");
    assertThat(out.get(2).replaceAll("\\s+", "")).isEqualTo("177ELF"); // readable: the checks passed
    assertThat(out.subList(3, 5)).containsExactly("write=1", "append=1");
    assertThat(b.read("stderr")).contains("/exe: ");
    assertThat(sha256(launcher)).isEqualTo(before);
  }

  /** The same from a default container (own pid ns, Docker caps): the host binary stays unchanged. */
  @Test
  void defaultContainerCannotReachTheLauncher() throws Exception {
    Path launcher = Launcher.locate();
    String before = sha256(launcher);
    Result r = sh("echo x > /proc/self/exe; echo self=$?; readlink /proc/1/exe");
    assertThat(r.out().lines().toList()).containsExactly("self=1", "/bin/busybox");
    assertThat(sha256(launcher)).isEqualTo(before);
  }

  /** CVE-2024-21626: no host descriptor leaks in, and the working directory is in the container. */
  @Test
  void noLeakedDescriptorsAndCwdInside() throws Exception {
    Result r = sh("ls /proc/self/fd; echo --; for f in /proc/self/fd/*; do readlink $f; done; echo --;"
        + " readlink /proc/1/cwd; cd /../../..; ls /", j -> process(j).put("cwd", "/etc"));
    assertThat(r.exit().code()).as(r.err()).isZero();
    String[] parts = r.out().split("--\n");
    assertThat(parts[0].lines().toList()).containsExactlyInAnyOrder("0", "1", "2", "3");
    for (String target : parts[1].lines().toList()) {
      assertThat(target).as("fd target").doesNotContain(tmp.toString()).doesNotStartWith("/work");
    }
    List<String> rest = parts[2].lines().toList();
    assertThat(rest.get(0)).isEqualTo("/etc");
    assertThat(rest.subList(1, rest.size())).containsExactlyInAnyOrder("bin", "dev", "etc", "out", "proc", "root", "sys", "tmp");
  }
}
