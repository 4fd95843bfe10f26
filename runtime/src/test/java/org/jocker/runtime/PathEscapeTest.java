package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escapes through the paths the launcher uses on the container's side: mount destinations that are
 * (or become) symlinks, a hostile /dev/null or /dev/console, a /proc covered by the container. Each
 * test makes the attack and checks the host: a host directory left empty, a global sysctl left
 * unchanged, a host file left as it was.
 */
class PathEscapeTest extends KernelTestBase {
  /** A global, harmless sysctl that a redirected mount or write would let the container change. */
  static final Path HOST_SYSCTL = Path.of("/proc/sys/kernel/printk_ratelimit");

  /**
   * CVE-2021-30465 / CVE-2023-27561: symlinks in the image (absolute, climbing "..", to "/") lead
   * every kind of mount into the root, never onto a host path; a bind source inside the rootfs
   * follows its symlink in the root too, so it cannot bind a host file into the container.
   */
  @Test
  void symlinkMountDestinationsStayInsideTheRoot() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host-target"));
    Path src = Files.createDirectories(tmp.resolve("bind-src"));
    Files.writeString(src.resolve("f"), "bound dir");
    Path file = Files.writeString(tmp.resolve("bind-file"), "bound file");
    Path secret = Files.writeString(tmp.resolve("host-secret"), "host secret");
    Bundle b = shBundle("awk '{print $2}' /proc/mounts | grep -E 'host-target|^/run'; cat " + host + "/b/f "
        + host + "/file /from-rootfs", j -> {
          // a source inside the rootfs: its symlink is the image's, so it is resolved in the root too
          addMount(j, "/from-rootfs", "bind", "rootfs/secret-link", "bind");
          addMount(j, "/abs/t", "tmpfs", "tmpfs");
          addMount(j, "/var/run/made", "tmpfs", "tmpfs"); // a missing directory behind an absolute symlink
          addMount(j, "/up/b", "bind", src.toString(), "bind");
          addMount(j, "/top" + host + "/file", "bind", file.toString(), "bind", "ro");
        });
    Path rootfs = b.dir().resolve("rootfs");
    Files.createDirectories(rootfs.resolve(host.toString().substring(1))); // where they resolve in the root
    Files.createSymbolicLink(rootfs.resolve("abs"), host);
    Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../../../../../.." + host));
    Files.createSymbolicLink(rootfs.resolve("top"), Path.of("/"));
    Files.createDirectories(rootfs.resolve("run"));
    Files.createDirectories(rootfs.resolve("var"));
    Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("/run"));
    Files.createSymbolicLink(rootfs.resolve("secret-link"), secret);
    Files.createDirectories(rootfs.resolve(secret.getParent().toString().substring(1)));
    Files.writeString(rootfs.resolve(secret.toString().substring(1)), " image file");

    Result r = run(b);

    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactlyInAnyOrder(host + "/t", host + "/b", host + "/file", "/run/made", "bound dirbound file image file");
    assertThat(listing(host)).as("host directory").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("host-target");
  }

  /** CVE-2019-19921: proc and sysfs are never mounted through a symlink; the create says why. */
  @ParameterizedTest
  @ValueSource(strings = {"proc", "sys"})
  void procAndSysDestinationsMustNotBeSymlinks(String dir) throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host-" + dir));
    Bundle b = shBundle("true", j -> {});
    Path rootfs = b.dir().resolve("rootfs");
    Files.delete(rootfs.resolve(dir));
    Files.createDirectories(rootfs.resolve(host.toString().substring(1)));
    Files.createSymbolicLink(rootfs.resolve(dir), host);

    assertThatThrownBy(() -> rt.create(newId("lnk" + dir), b.dir(), CreateOptions.DEFAULT))
        .hasMessageContaining("mount /" + dir).hasMessageContaining("must be mounted on ordinary directory");
    assertThat(listing(host)).isEmpty();
  }

  /** runc's bats "mask paths [prohibit symlink /proc]": a dangling symlink is refused in runc's words. */
  @ParameterizedTest
  @ValueSource(strings = {"proc", "sys"})
  void procAndSysDestinationsMustNotBeDanglingSymlinks(String dir) throws Exception {
    Bundle b = shBundle("true", j -> {});
    Path rootfs = b.dir().resolve("rootfs");
    Files.delete(rootfs.resolve(dir));
    Files.createSymbolicLink(rootfs.resolve(dir), Path.of("/symlink"));

    assertThatThrownBy(() -> rt.create(newId("dangling" + dir), b.dir(), CreateOptions.DEFAULT))
        .hasMessageContaining("mount /" + dir + " (").hasMessageContaining("must be mounted on ordinary directory");
    assertThat(rootfs.resolve("symlink")).doesNotExist();
  }

  /**
   * CVE-2021-30465: another process flips a destination between a directory and a symlink to a
   * host path while containers are created from the same rootfs. The mounts stay in the root, and
   * the read-only bind is read-only: were the remount looked up again by path after the swap, it
   * would hit the other (read-write) bind that the symlink leads to, and leave this one writable.
   */
  @Test
  void destinationSwappedWhileCreatingStaysInsideTheRoot() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host-race"));
    Path ro = Files.createDirectories(tmp.resolve("ro-race-src"));
    Path rw = Files.createDirectories(tmp.resolve("rw-race-src"));
    Bundle b = shBundle("true", j -> {
      addMount(j, host + "/ro", "bind", rw.toString(), "rbind", "rw");
      addMount(j, "/race/t", "tmpfs", "tmpfs");
      addMount(j, "/race/ro", "bind", ro.toString(), "rbind", "ro");
    });
    Path rootfs = b.dir().resolve("rootfs");
    Files.createDirectories(rootfs.resolve(host.toString().substring(1)));
    Files.createDirectories(rootfs.resolve("race"));
    Files.createSymbolicLink(rootfs.resolve("race.alt"), host);
    Path stop = tmp.resolve("stop-flipping");
    Process flipper = flipper(rootfs.resolve("race"), rootfs.resolve("race.alt"), stop);
    int created = 0;
    List<String> roOptions = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        String id = newId("race");
        try {
          rt.create(id, b.dir(), CreateOptions.DEFAULT);
        } catch (RuntimeException e) {
          continue; // lost the race cleanly (e.g. a directory to create was a symlink): fine
        }
        created++;
        for (String line : Files.readAllLines(Path.of("/proc/" + rt.state(id).pid() + "/mountinfo"))) {
          String[] f = line.split(" ");
          if (f[3].endsWith("/ro-race-src")) {
            roOptions.add(f[5]);
          }
        }
        rt.delete(id, true);
      }
    } finally {
      Files.createFile(stop);
      flipper.waitFor();
    }
    assertThat(created).as("containers created while flipping").isPositive();
    assertThat(roOptions).hasSize(created).allMatch(o -> o.startsWith("ro,") || o.equals("ro"));
    assertThat(listing(host)).as("host directory").isEmpty();
  }

  /** Swaps a and b with renameat2(RENAME_EXCHANGE) until stop exists: both names always exist. */
  private static Process flipper(Path a, Path b, Path stop) throws Exception {
    String script = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        a, b, stop = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
        while not os.path.exists(stop):
            for _ in range(200):
                if libc.renameat2(-100, a, -100, b, 2) != 0:
                    sys.exit("renameat2: " + os.strerror(ctypes.get_errno()))
        """;
    return new ProcessBuilder("python3", "-c", script, a.toString(), b.toString(), stop.toString())
        .redirectErrorStream(true).start();
  }

  /** A createContainer hook (runs before pivot_root) standing in for a container sharing /dev. */
  private Path hook(String name, String commands) throws Exception {
    Path script = Files.writeString(tmp.resolve(name + ".sh"), "#!/bin/sh\nset -e\n" + commands + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /**
   * CVE-2025-31133: the container's /dev/null is swapped for a symlink to a writable global sysctl
   * (or for another device) before the masked paths are bound from it. Were it followed, the
   * container could write the host's sysctl through the masked /proc/timer_list.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ln -s " + "/proc/sys/kernel/printk_ratelimit", "mknod -m 666"})
  void maskingRefusesAHostileDevNull(String replacement) throws Exception {
    String before = Files.readString(HOST_SYSCTL);
    Bundle b = shBundle("echo 17 > /proc/timer_list; echo 17 > /proc/interrupts; echo done", j -> {});
    Path devNull = b.dir().resolve("rootfs/dev/null");
    String make = replacement.startsWith("ln") ? replacement + " " + devNull : replacement + " " + devNull + " c 1 5";
    Path hook = hook("swap-null", "rm -f " + devNull + "\n" + make);
    editConfig(b.dir(), j -> j.withObject("/hooks").withArray("createContainer").addObject()
        .put("path", hook.toString()));
    try {
      Throwable refused = catchThrowable(() -> {
        String id = newId("null");
        rt.create(id, b.dir(), CreateOptions.DEFAULT);
        rt.start(id); // only if the defence failed: the attack then runs
        rt.awaitExit(id);
      });
      assertThat(Files.readString(HOST_SYSCTL)).as("host sysctl").isEqualTo(before);
      assertThat(refused).hasMessageContaining("/dev/null is not the null device");
    } finally {
      restore(before);
    }
  }

  /**
   * CVE-2025-52565: /dev/console is a symlink to a global sysctl when the pty is bound over it.
   * The create fails with a clear message instead of binding over the sysctl (or skipping silently);
   * with a plain /dev/console the pty is bound there.
   */
  @Test
  void consoleBindRefusesASymlinkAndBindsThePty() throws Exception {
    String before = Files.readString(HOST_SYSCTL);
    Path sock = tmp.resolve("console.sock");
    try (ServerSocketChannel console = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      console.bind(UnixDomainSocketAddress.of(sock)); // connects queue: the init's send needs no accept
      Bundle evil = shBundle("echo 17 > /dev/console", j -> process(j).put("terminal", true));
      Path link = evil.dir().resolve("rootfs/dev/console");
      Path hook = hook("swap-console", "ln -s " + HOST_SYSCTL + " " + link);
      editConfig(evil.dir(), j -> j.withObject("/hooks").withArray("createContainer").addObject()
          .put("path", hook.toString()));
      CreateOptions withConsole = new CreateOptions(sock.toString(), null, Stdio.INHERIT, false);
      Throwable refused = catchThrowable(() -> {
        String id = newId("cons");
        rt.create(id, evil.dir(), withConsole);
        rt.start(id);
        rt.awaitExit(id);
      });
      assertThat(Files.readString(HOST_SYSCTL)).as("host sysctl").isEqualTo(before);
      assertThat(refused).hasMessageContaining("/dev/console is a symlink");

      Bundle good = shBundle("awk '$5==\"/dev/console\" {print $9}' /proc/self/mountinfo; readlink /proc/self/fd/0",
          j -> process(j).put("terminal", true));
      String id = newId("cons");
      rt.create(id, good.dir(), withConsole);
      rt.start(id);
      assertThat(rt.awaitExit(id).code()).isZero();
      assertThat(good.read("stdout").lines().toList()).containsExactly("devpts", "/dev/pts/0");
    } finally {
      restore(before);
    }
  }

  /**
   * CVE-2025-52881: an exec writes its oom_score_adj while it is already in the container's mount
   * namespace, where the container (here with CAP_SYS_ADMIN) has bound a host directory over /proc.
   * The write must reach the real procfs, never the decoy file on the host; also in a user
   * namespace (the masks, made inside it, are not locked: a new procfs instance is allowed).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void execWritesOomScoreAdjOnlyToTheRealProcfs(boolean userNamespace) throws Exception {
    Path decoy = Files.createDirectories(tmp.resolve("decoy/self"));
    Path decoyFile = Files.writeString(decoy.resolve("oom_score_adj"), "decoy\n");
    List<String> caps = new ArrayList<>(DefaultSpec.CAPABILITIES);
    caps.add("CAP_SYS_ADMIN");
    Bundle b = shBundle("mkdir /realproc && mount -t proc proc /realproc && mount --bind /decoy /proc && touch /out/ready; sleep 30", j -> {
      addMount(j, "/decoy", "bind", decoy.getParent().toString(), "bind");
      setCaps(j, caps, false);
      linux(j).remove("seccomp");
      j.withObject("/root").put("readonly", false);
      if (userNamespace) {
        addNamespace(j, "user", null);
        linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      }
    });
    if (userNamespace) {
      host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
    }
    String id = newId("oom");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    for (int i = 0; i < 500 && !Files.exists(b.out().resolve("ready")); i++) {
      Thread.sleep(10);
    }
    assertThat(b.out().resolve("ready")).as(readIfExists(b.out().resolve("stderr"))).exists();

    Spec.Process exec = new Spec.Process(false, null, new Spec.User(0L, 0L, null, null, null),
        List.of("sh", "-c", "cat /realproc/self/oom_score_adj > /out/exec-oom"), List.of("PATH=" + DefaultSpec.PATH),
        "/", null, null, null, null, 345, null);
    Throwable failed = catchThrowable(() -> {
      ExecProcess p = rt.exec(id, exec, new ExecOptions(null, Stdio.INHERIT, false));
      assertThat(rt.awaitExec(p).code()).isZero();
    });

    assertThat(Files.readString(decoyFile)).as("decoy on the host").isEqualTo("decoy\n");
    assertThat(failed).isNull();
    assertThat(b.read("exec-oom")).isEqualTo("345\n");
  }

  /**
   * The sysctls of a new container are still written in a user namespace. (Its oom_score_adj is
   * not: init writes it after becoming the namespace's root, when /proc/self belongs to the host's
   * root; so it was before these defences.)
   */
  @Test
  void sysctlInAUserNamespace() throws Exception {
    Bundle b = shBundle("cat /proc/sys/net/ipv4/ip_forward", j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putObject("sysctl").put("net.ipv4.ip_forward", "1");
    });
    host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
    Result r = run(b);
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("1\n");
  }

  private static List<Path> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Puts the sysctl back if a broken defence let a container change it. */
  private static void restore(String before) throws Exception {
    if (!Files.readString(HOST_SYSCTL).equals(before)) {
      Files.writeString(HOST_SYSCTL, before);
    }
  }
}
