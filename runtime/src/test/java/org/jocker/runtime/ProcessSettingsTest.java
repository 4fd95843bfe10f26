package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.linux.Capability;
import org.jocker.runtime.spec.DefaultSpec;
import org.junit.jupiter.api.Test;

/** process.*: args, env, cwd, user, rlimits, no_new_privs, oom score, sysctls, capabilities, terminal. */
class ProcessSettingsTest extends KernelTestBase {

  /** "Name:\tvalue" lines of /proc/self/status as the container's shell wrote them. */
  static Map<String, String> status(String text) {
    return text.lines().filter(l -> l.contains(":\t"))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf('\t') + 1).trim(),
            (a, b) -> a));
  }

  static String hexMask(List<String> caps) {
    return String.format("%016x", Capability.mask(caps.stream().map(c -> Capability.parse(c).orElseThrow()).toList()));
  }

  @Test
  void argsAreExecutedVerbatim() throws Exception {
    Bundle b = bundle(List.of("sh", "-c", "exec >/out/stdout; printf '[%s]' \"$0\" \"$@\"", "zero", "a b", "", "c\"d$x"),
        j -> {});
    Result r = run(b);
    assertThat(r.exit().code()).isZero();
    assertThat(r.out()).isEqualTo("[zero][a b][][c\"d$x]");
  }

  @Test
  void envIsExactlyTheConfiguredOne() throws Exception {
    Result r = sh("cat /proc/1/environ; true", j -> process(j).putArray("env")
        .add("PATH=/bin").add("FOO=bar baz").add("EMPTY="));
    assertThat(r.out().split("\0")).as(r.err()).containsExactly("PATH=/bin", "FOO=bar baz", "EMPTY=");
  }

  @Test
  void cwdIsTheConfiguredDirectory() throws Exception {
    Result r = sh("pwd; readlink /proc/1/cwd", j -> process(j).put("cwd", "/etc"));
    assertThat(r.out().lines().toList()).containsExactly("/etc", "/etc");
  }

  @Test
  void userGroupAndAdditionalGids() throws Exception {
    Result r = sh("id; grep -E '^(Uid|Gid|Groups)' /proc/self/status", j -> setUser(j, 1000, 1001, 10, 20));
    assertThat(r.exit().code()).as(r.err()).isZero();
    Map<String, String> st = status(r.out());
    assertThat(st.get("Uid").split("\\s+")).containsOnly("1000");
    assertThat(st.get("Gid").split("\\s+")).containsOnly("1001");
    assertThat(st.get("Groups").split("\\s+")).containsExactly("10", "20");
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("uid=1000 gid=1001 groups=");
  }

  @Test
  void umaskIsApplied() throws Exception {
    Result r = sh("umask; touch /tmp/f; stat -c %a /tmp/f", j -> {
      process(j).withObject("/user").put("umask", 0027);
      j.withObject("/root").put("readonly", false);
    });
    assertThat(r.out().lines().toList()).containsExactly("0027", "640");
  }

  @Test
  void rlimitsAreSet() throws Exception {
    Result r = sh("ulimit -Sn; ulimit -Hn; ulimit -Su", j -> {
      var rl = process(j).putArray("rlimits");
      rl.addObject().put("type", "RLIMIT_NOFILE").put("soft", 1234).put("hard", 2345);
      rl.addObject().put("type", "RLIMIT_NPROC").put("soft", 77).put("hard", 88);
    });
    assertThat(r.out().lines().toList()).as(r.err()).containsExactly("1234", "2345", "77");
  }

  @Test
  void noNewPrivilegesOnAndOff() throws Exception {
    assertThat(sh("grep NoNewPrivs /proc/self/status", j -> process(j).put("noNewPrivileges", true)).out())
        .isEqualTo("NoNewPrivs:\t1\n");
    assertThat(sh("grep NoNewPrivs /proc/self/status", j -> process(j).put("noNewPrivileges", false)).out())
        .isEqualTo("NoNewPrivs:\t0\n");
  }

  @Test
  void oomScoreAdj() throws Exception {
    assertThat(sh("cat /proc/self/oom_score_adj", j -> process(j).put("oomScoreAdj", 432)).out()).isEqualTo("432\n");
  }

  @Test
  void namespacedSysctls() throws Exception {
    String hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
    String hostRmid = Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).trim();
    String forward = hostForward.equals("1") ? "0" : "1";
    String rmid = hostRmid.equals("1") ? "0" : "1";
    Result r = sh("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced", j ->
        linux(j).putObject("sysctl").put("net.ipv4.ip_forward", forward).put("kernel.shm_rmid_forced", rmid));
    assertThat(r.out().lines().toList()).as(r.err()).containsExactly(forward, rmid);
    // the host's values are untouched
    assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim()).isEqualTo(hostForward);
    assertThat(Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).trim()).isEqualTo(hostRmid);
  }

  @Test
  void rootGetsExactlyTheConfiguredCapabilities() throws Exception {
    Map<String, String> st = status(sh("grep ^Cap /proc/self/status").out());
    String docker = hexMask(DefaultSpec.CAPABILITIES);
    assertThat(st).containsEntry("CapBnd", docker).containsEntry("CapEff", docker)
        .containsEntry("CapPrm", docker).containsEntry("CapAmb", "0000000000000000")
        .containsEntry("CapInh", "0000000000000000"); // Docker's default leaves inheritable empty (CVE-2022-24769)

    List<String> few = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW");
    Result r = sh("grep ^Cap /proc/self/status; chown 1:1 /out/stdout && echo chown-ok; mknod /tmp/n c 1 3 || echo mknod-refused",
        j -> setCaps(j, few, false));
    Map<String, String> st2 = status(r.out());
    String mask = hexMask(few);
    assertThat(st2).containsEntry("CapBnd", mask).containsEntry("CapEff", mask)
        .containsEntry("CapPrm", mask).containsEntry("CapInh", mask).containsEntry("CapAmb", "0000000000000000");
    assertThat(r.out()).contains("chown-ok", "mknod-refused");
  }

  @Test
  void nonRootUserKeepsAmbientCapabilities() throws Exception {
    List<String> caps = List.of("CAP_NET_BIND_SERVICE", "CAP_KILL");
    Result r = sh("grep ^Cap /proc/self/status; id -u", j -> {
      setUser(j, 1000, 1000);
      setCaps(j, caps, true);
    });
    Map<String, String> st = status(r.out());
    String mask = hexMask(caps);
    assertThat(st).as(r.out() + r.err()).containsEntry("CapBnd", mask).containsEntry("CapEff", mask)
        .containsEntry("CapPrm", mask).containsEntry("CapInh", mask).containsEntry("CapAmb", mask);
    assertThat(r.out()).endsWith("1000\n");
  }

  /** `runc spec` lists ambient capabilities and no inheritable ones: the kernel keeps none, as with runc. */
  @Test
  void ambientCapabilitiesThatAreNotInheritableAreLeftOut() throws Exception {
    List<String> caps = List.of("CAP_NET_BIND_SERVICE", "CAP_KILL");
    Result r = sh("grep ^Cap /proc/self/status", j -> {
      setCaps(j, caps, true);
      ((ObjectNode) j.path("process").path("capabilities")).remove("inheritable");
    });
    Map<String, String> st = status(r.out());
    assertThat(st).as(r.out() + r.err()).containsEntry("CapEff", hexMask(caps))
        .containsEntry("CapInh", "0000000000000000").containsEntry("CapAmb", "0000000000000000");
  }

  @Test
  void nonRootUserWithoutAmbientHasNoEffectiveCapabilities() throws Exception {
    Result r = sh("grep ^Cap /proc/self/status", j -> setUser(j, 1000, 1000));
    Map<String, String> st = status(r.out());
    assertThat(st).containsEntry("CapEff", "0000000000000000").containsEntry("CapPrm", "0000000000000000")
        .containsEntry("CapBnd", hexMask(DefaultSpec.CAPABILITIES));
  }

  /** The pty master arrives on the console socket (received by a python3 helper: Java cannot take fds). */
  @Test
  void terminalIsHandedToTheConsoleSocket() throws Exception {
    Path sock = tmp.resolve("console.sock");
    Path got = tmp.resolve("console.out");
    Path script = Files.writeString(tmp.resolve("console.py"), """
        import os, socket, sys
        path, out = sys.argv[1], sys.argv[2]
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(1)
        open(path + ".ready", "w").close()
        c, _ = s.accept()
        msg, fds, _, _ = socket.recv_fds(c, 1024, 1)
        data = b""
        while True:
            try:
                chunk = os.read(fds[0], 4096)
            except OSError:
                break  # EIO: every slave descriptor is closed
            if not chunk:
                break
            data += chunk
        open(out, "wb").write(msg + b"\\n" + data)
        """);
    Process helper = new ProcessBuilder("python3", script.toString(), sock.toString(), got.toString())
        .redirectErrorStream(true).start();
    try {
      for (int i = 0; i < 200 && !Files.exists(Path.of(sock + ".ready")); i++) {
        Thread.sleep(10);
      }
      Bundle b = bundle(List.of("sh", "-c", "tty; stty size; [ -t 0 ] && echo stdin-is-tty; readlink /proc/self/fd/1"), j -> {
        process(j).put("terminal", true);
        process(j).putObject("consoleSize").put("height", 33).put("width", 101);
      });
      String id = newId("tty");
      rt.create(id, b.dir(), new CreateOptions(sock.toString(), null, Stdio.INHERIT, false));
      rt.start(id);
      assertThat(rt.awaitExit(id).code()).isZero();
      assertThat(helper.waitFor(10, TimeUnit.SECONDS)).isTrue();
      List<String> lines = new ArrayList<>(Files.readString(got).replace("\r", "").lines().toList());
      assertThat(lines).as(new String(helper.getInputStream().readAllBytes()))
          .containsExactly("/dev/ptmx", "/dev/pts/0", "33 101", "stdin-is-tty", "/dev/pts/0");
    } finally {
      helper.destroyForcibly();
    }
  }
}
