package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;
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

  /**
   * Root on the host tries to change a monitor's executable: every attempt prints the errno it got
   * (or "ok"). Whatever a container could do to it, the host's root can do too, and more.
   */
  private static final String CHANGE_EXE = """
      import errno, fcntl, os, sys
      exe = sys.argv[1]
      def attempt(name, action):
          try:
              action()
              print(name, "ok")
          except OSError as e:
              print(name, errno.errorcode[e.errno])
      def write_through(flags):
          fd = os.open(exe, flags)
          try:
              os.write(fd, b"x")
          finally:
              os.close(fd)
      def on_fd(flags, action):
          fd = os.open(exe, flags)
          try:
              action(fd)
          finally:
              os.close(fd)
      attempt("write", lambda: write_through(os.O_WRONLY))
      attempt("append", lambda: write_through(os.O_WRONLY | os.O_APPEND))
      attempt("truncate", lambda: os.truncate(exe, 0))
      attempt("ftruncate", lambda: on_fd(os.O_RDWR, lambda fd: os.ftruncate(fd, 0)))
      attempt("grow", lambda: on_fd(os.O_RDWR, lambda fd: os.ftruncate(fd, 1 << 24)))
      attempt("seal", lambda: on_fd(os.O_RDONLY, lambda fd: fcntl.fcntl(fd, fcntl.F_ADD_SEALS, 16)))  # F_SEAL_FUTURE_WRITE
      attempt("seals", lambda: on_fd(os.O_RDONLY, lambda fd: print("seals", fcntl.fcntl(fd, fcntl.F_GET_SEALS))))
      """;

  /**
   * runc >= 1.2's defence without its memory cost: the monitors one process starts all run from a
   * single sealed memfd copy of the launcher (not one copy each), and that copy can be neither
   * written, truncated, grown nor sealed differently, even by root on the host.
   */
  @Test
  void monitorsShareOneSealedCopyThatCannotBeChanged() throws Exception {
    Path launcher = Launcher.locate();
    String before = sha256(launcher);
    String first = newId("shared");
    String second = newId("shared");
    rt.create(first, shBundle("sleep 1000", j -> {}).dir(), CreateOptions.DEFAULT);
    rt.create(second, shBundle("sleep 1000", j -> {}).dir(), CreateOptions.DEFAULT);
    Path exe = Path.of("/proc/" + monitorPid(first) + "/exe");
    Path otherExe = Path.of("/proc/" + monitorPid(second) + "/exe");
    assertThat(Files.readSymbolicLink(exe).toString()).isEqualTo("/memfd:jocker-launcher (deleted)");
    assertThat(Files.getAttribute(exe, "unix:ino")).isEqualTo(Files.getAttribute(otherExe, "unix:ino"));
    assertThat(Files.getAttribute(exe, "unix:dev")).isEqualTo(Files.getAttribute(otherExe, "unix:dev"));
    assertThat(sha256(exe)).isEqualTo(before);

    // While monitors run from it, it is busy (ETXTBSY) for writers, and sealed besides.
    Path script = Files.writeString(tmp.resolve("change-exe.py"), CHANGE_EXE);
    List<String> busy = host("python3", script.toString(), exe.toString()).lines().toList();
    assertThat(busy).contains("seals 15"); // F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
    assertThat(busy).filteredOn(r -> !r.startsWith("seal")).hasSize(5).allSatisfy(r -> assertThat(r)
        .as("an attempt to change the shared copy").matches("\\w+ (EPERM|ETXTBSY)"));
    assertThat(busy).contains("seal EPERM");

    // Once no monitor runs it, only the seals protect the copy this JVM keeps for the next ones.
    int copy = new LinuxKernel().sealedCopy(launcher, "jocker-launcher");
    Path kept = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + copy);
    assertThat(Files.getAttribute(kept, "unix:ino")).isEqualTo(Files.getAttribute(exe, "unix:ino"));
    rt.delete(first, true);
    rt.delete(second, true);
    assertThat(awaitNoLauncherProcesses()).isEmpty();
    List<String> sealed = host("python3", script.toString(), kept.toString()).lines().toList();
    assertThat(sealed).containsExactly("write EPERM", "append EPERM", "truncate EPERM", "ftruncate EPERM",
        "grow EPERM", "seal EPERM", "seals 15", "seals ok");
    assertThat(sha256(kept)).isEqualTo(before);
    assertThat(sha256(launcher)).isEqualTo(before);
  }

  /**
   * Spawned from its file rather than from a sealed copy (as anyone running it by hand would), the
   * launcher still makes a sealed copy of its own before anything else.
   */
  @Test
  void aLauncherNotStartedFromASealedCopyMakesItsOwn() throws Exception {
    LinuxKernel real = new LinuxKernel();
    Kernel fromDisk = (Kernel) Proxy.newProxyInstance(Kernel.class.getClassLoader(), new Class<?>[] {Kernel.class},
        (proxy, method, args) -> method.getName().equals("sealedCopy")
            ? real.openForReading((Path) args[0])
            : method.invoke(real, args));
    ContainerRuntime unshared = new ContainerRuntime(tmp.resolve("state-unshared"), fromDisk, Launcher.locate());
    String id = newId("own-copy");
    try {
      unshared.create(id, shBundle("sleep 1000", j -> {}).dir(), CreateOptions.DEFAULT);
      Path exe = Path.of("/proc/" + monitorOf(unshared.state(id).pid()) + "/exe");
      int shared = real.sealedCopy(Launcher.locate(), "jocker-launcher");
      assertThat(Files.readSymbolicLink(exe).toString()).isEqualTo("/memfd:jocker-launcher (deleted)");
      assertThat(Files.getAttribute(exe, "unix:ino"))
          .isNotEqualTo(Files.getAttribute(Path.of("/proc/self/fd/" + shared), "unix:ino"));
      Path script = Files.writeString(tmp.resolve("change-exe.py"), CHANGE_EXE);
      assertThat(host("python3", script.toString(), exe.toString()).lines().toList()).contains("seals 15", "seal EPERM");
    } finally {
      unshared.delete(id, true);
    }
  }

  private static long monitorOf(int init) {
    return ProcessHandle.of(init).flatMap(ProcessHandle::parent).orElseThrow().pid();
  }
}
