package org.jocker.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.engine.spec.InitBinary;
import org.jocker.runtime.launch.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known container breakouts attempted from a default container (`jocker run busybox`) on the real
 * kernel: each must fail with the errno Docker's defaults give, and the host must be unchanged.
 * The attacks are system calls made by a small static program (probe.c), many in one container.
 */
class BreakoutCliTest extends CliTestBase {
  @TempDir static Path shared;
  private static Path probe;

  @BeforeAll
  static void compileProbe() throws Exception {
    probe = Probe.compile(shared.resolve("probe"));
  }

  @AfterEach
  void cleanUp() {
    jocker.removeAllContainers();
  }

  /**
   * Docker's default capabilities only, none inheritable (CVE-2022-29162); its own namespaces
   * but the user namespace (so no host abstract socket or shared memory); no mount, module,
   * kernel keyring, userfaultfd, bpf, perf, new user namespace or open_by_handle_at ("shocker");
   * /proc/sys, /sys and /proc/sysrq-trigger read-only, /proc/kcore and /proc/keys empty; no
   * device the device cgroup does not allow (the host's root disk, kmsg, mem) even after mknod;
   * no host process visible; the chroot escape stays in the container. The same for a process
   * that `exec` starts in a running container.
   */
  @Test
  void defaultContainerCannotBreakOut() throws Exception {
    Path marker = Files.writeString(tmp.resolve("host-marker"), "host\n");
    long dev = (Long) Files.getAttribute(jocker.root().getParent(), "unix:dev");
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    assertThat(major).as("the host file system is on a block device").isPositive();
    List<Path> hostFiles = List.of(Path.of("/proc/sys/kernel/hostname"), Path.of("/proc/sys/kernel/core_pattern"),
        Path.of("/proc/sys/kernel/panic"), Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
    Map<Path, String> before = read(hostFiles);
    Process host = new ProcessBuilder("sleep", "300").start();
    try {
      List<String> probeArgs = List.of(Probe.CONTAINER_DIR + "/probe", "breakout", Long.toString(host.pid()),
          marker.toString(), Long.toString(major), Long.toString(minor));
      String volume = probe + ":" + Probe.CONTAINER_DIR + ":ro";
      List<String> run = new ArrayList<>(List.of("run", "--rm", "-v", volume, "busybox"));
      run.addAll(probeArgs);
      // the container's own process, and one that `exec` adds to a running container
      jocker.ok("run", "-d", "--name", "target", "-v", volume, "busybox", "sleep", "600");
      List<String> exec = new ArrayList<>(List.of("exec", "target"));
      exec.addAll(probeArgs);
      for (List<String> command : List.of(run, exec)) {
        Jocker.Result r = jocker.exec(command.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(withNamespacesNamed(Probe.results(r.out()))).as(command.get(0))
            .containsExactlyInAnyOrderEntriesOf(expectedBreakoutResults());
      }
      assertThat(host.isAlive()).isTrue();
      assertThat(Files.readAllLines(Path.of("/proc/" + host.pid() + "/status")))
          .contains("TracerPid:\t0");
    } finally {
      host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(read(hostFiles)).isEqualTo(before);
    assertThat(Files.readString(marker)).isEqualTo("host\n");
  }

  /** The probe's ns_NAME lines (a namespace's link) as "host" when it is the test's namespace, else "own". */
  private static Map<String, String> withNamespacesNamed(Map<String, String> results) throws Exception {
    Map<String, String> out = new LinkedHashMap<>(results);
    for (Map.Entry<String, String> e : results.entrySet()) {
      if (e.getKey().startsWith("ns_")) {
        Path ours = Path.of("/proc/self/ns/" + e.getKey().substring(3));
        out.put(e.getKey(), Files.readSymbolicLink(ours).toString().equals(e.getValue()) ? "host" : "own");
      }
    }
    return out;
  }

  private static Map<String, String> expectedBreakoutResults() {
    Map<String, String> e = new LinkedHashMap<>();
    String dockerCaps = "00000000a80425fb"; // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
    // NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
    e.put("CapInh", "0000000000000000");
    e.put("CapPrm", dockerCaps);
    e.put("CapEff", dockerCaps);
    e.put("CapBnd", dockerCaps);
    e.put("CapAmb", "0000000000000000");
    e.put("NoNewPrivs", "0");
    e.put("Seccomp", "2");
    for (String ns : List.of("mnt", "pid", "net", "ipc", "uts", "cgroup")) {
      e.put("ns_" + ns, "own"); // so no host process, abstract socket, shared memory or cgroup path is reachable
    }
    e.put("ns_user", "host"); // as Docker's default: the caps and seccomp above are what holds
    for (String mount : List.of("mount_tmpfs", "mount_cgroup", "mount_proc", "remount_proc_sys_rw", "umount_proc_sys",
        "umount_proc_kcore", "fsopen", "open_tree", "pivot_root")) {
      e.put(mount, "EPERM");
    }
    for (String module : List.of("init_module", "finit_module", "delete_module", "kexec_load", "iopl")) {
      e.put(module, "EPERM");
    }
    for (String write : List.of("write_proc_sys_hostname", "write_core_pattern", "write_panic",
        "write_sys_kernel", "mkdir_sys_fs_cgroup")) {
      e.put(write, "EROFS");
    }
    e.put("write_sysrq_trigger", Files.exists(Path.of("/proc/sysrq-trigger")) ? "EROFS" : "ENOENT");
    e.put("read_kcore", Files.exists(Path.of("/proc/kcore")) ? "empty" : "ENOENT"); // not in every kernel
    e.put("read_keys", "empty");
    e.put("read_timer_list", "empty");
    e.put("read_kmsg", "ENOENT");
    for (String device : List.of("kmsg", "mem", "rootdev")) {
      e.put("mknod_" + device, "ok"); // CAP_MKNOD is Docker's; the device cgroup refuses the open
      e.put("open_" + device, "EPERM");
    }
    e.put("ptrace_host", "ESRCH");
    e.put("kill_host", "ESRCH");
    e.put("open_host_mem", "ENOENT");
    for (String call : List.of("keyctl", "add_key", "request_key", "userfaultfd", "bpf", "perf_event_open",
        "unshare_user", "unshare_mnt", "clone_newuser")) {
      e.put(call, "EPERM");
    }
    e.put("clone3", "ENOSYS"); // so that libc falls back to clone, whose flags the filter can see
    e.put("setns", "EPERM");
    e.put("open_by_handle_at", "EPERM");
    e.put("chroot_escape", "ENOENT");
    return e;
  }

  /**
   * CVE-2019-5736: while containers loop opening every /proc/PID/exe they see for writing (and
   * writing its first byte back), the engine execs into them many times, including a program
   * whose interpreter is "/proc/self/exe" (the original exploit's trick to run the runtime's own
   * binary in the container); an --init container's PID 1 is the host's jocker-init. Every write
   * fails, and the host's launcher, client and init binaries are unchanged.
   */
  @Test
  void execCannotOverwriteTheHostBinaries() throws Exception {
    Path launcher = Launcher.locate();
    List<Path> binaries = List.of(launcher, launcher.resolveSibling("jocker-client"), InitBinary.locate());
    Map<Path, String> before = new LinkedHashMap<>();
    binaries.forEach(b -> before.put(b, Probe.sha256(b)));
    String volume = probe + ":" + Probe.CONTAINER_DIR + ":ro";
    List<String> names = List.of("plain", "init");
    jocker.ok("run", "-d", "--name", "plain", "-v", volume, "busybox", Probe.CONTAINER_DIR + "/probe", "exes");
    jocker.ok("run", "-d", "--init", "--name", "init", "-v", volume, "busybox", Probe.CONTAINER_DIR + "/probe",
        "exes");
    for (String name : names) {
      jocker.ok("exec", name, "sh", "-c", "printf '#!/proc/self/exe\\n' > /evil && chmod +x /evil");
    }
    for (int i = 0; i < 3; i++) {
      for (String name : names) {
        jocker.run("exec", name, "/evil"); // the launcher's copy runs as the container's program, and exits
        Jocker.Result sleep = jocker.run("exec", name, "sleep", "0.2");
        // The probe may hold the container's own busybox open for writing at that instant (it may:
        // "own"), and the kernel then refuses to run it: ETXTBSY, the container's business.
        assertThat(sleep.code() == 0 || sleep.err().contains("Text file busy")).as(sleep.err()).isTrue();
      }
    }
    for (String name : names) {
      // The probe (the container's PID 1) ends as soon as the file exists, and the kernel then
      // kills what is left in its pid namespace: the touch may be that (137), or exit first (0).
      assertThat(jocker.run("exec", name, "touch", "/tmp/stop").code()).isIn(0, 137);
      assertThat(jocker.ok("wait", name).out().strip()).isEqualTo("0");
      List<String> attempts = jocker.ok("logs", name).out().lines().toList();
      assertThat(attempts).as(name).last().isEqualTo("done");
      assertThat(attempts).as(name).noneMatch(l -> l.endsWith(" ok"));
      // the exec'd launcher was caught: not dumpable, its exe cannot even be opened (and were it
      // held and written once it had exec'd or exited, its sealed copy would refuse: EPERM)
      assertThat(attempts).as(name).anyMatch(l -> l.matches("exe \\d+ jocker-launcher (open EACCES|rewrite EPERM)"));
    }
    assertThat(jocker.ok("logs", "init").out()).contains("exe 1 docker-init open ETXTBSY\n");
    binaries.forEach(b -> assertThat(Probe.sha256(b)).as(b.toString()).isEqualTo(before.get(b)));
  }

  private static Map<Path, String> read(List<Path> files) throws Exception {
    Map<Path, String> out = new LinkedHashMap<>();
    for (Path f : files) {
      out.put(f, Files.readString(f));
    }
    return out;
  }
}
