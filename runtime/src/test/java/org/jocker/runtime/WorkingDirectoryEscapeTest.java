package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jocker.runtime.launch.LogConfig;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ExitStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CVE-2024-21626 and its kin, tried for real: a working directory that names a descriptor or a
 * /proc link the init could have inherited from the host. From there the container walks up to the
 * host's root and writes a file in a host directory no container sees; that file must never appear.
 */
class WorkingDirectoryEscapeTest extends KernelTestBase {
  static final int FIRST_FD = 3;
  static final int LAST_FD = 64;
  /** Above every descriptor a monitor holds (checked below): the variants stop here, to stay fast. */
  static final int MONITOR_FDS_BELOW = 20;

  /** A host directory nobody may reach from a container; writable by all (as /tmp is). */
  Path hostDir;

  @BeforeEach
  void hostDirectory() throws IOException {
    hostDir = Files.createDirectories(tmp.resolve("host-only"));
    Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  /** Climbs from the working directory to the root (".." stops there) and writes into hostDir. */
  String escapeScript(String name) {
    return "cd ../../../../../../../../../../../..; echo escaped > ." + hostDir + "/" + name;
  }

  static List<String> descriptorPaths(String format, int last) {
    return IntStream.rangeClosed(FIRST_FD, last).mapToObj(n -> format.formatted(n)).toList();
  }

  /** What became of one attempt: the error that refused it, or null if the container ran. */
  record Attempt(String cwd, String error) {}

  /**
   * Tries every working directory in one bundle, editing its config between creates: the error of
   * each refused create, or the container run to its end when one was let through.
   */
  List<Attempt> tryCreate(List<String> cwds, CreateOptions options, Consumer<ObjectNode> edit) throws IOException {
    Bundle b = shBundle(escapeScript("marker") + "; echo cwd=$(pwd)", edit);
    List<Attempt> attempts = new ArrayList<>();
    for (String cwd : cwds) {
      editConfig(b.dir(), j -> process(j).put("cwd", cwd));
      String id = newId("cwd");
      try {
        rt.create(id, b.dir(), options);
      } catch (RuntimeException e) {
        attempts.add(new Attempt(cwd, e.getMessage()));
        continue;
      }
      rt.start(id);
      rt.awaitExit(id);
      attempts.add(new Attempt(cwd, null));
      rt.delete(id, true);
    }
    return attempts;
  }

  void assertRefusedAndHostUntouched(List<Attempt> attempts) throws IOException {
    try (var left = Files.list(hostDir)) {
      assertThat(left.toList()).as("files written into the host directory").isEmpty();
    }
    for (Attempt a : attempts) {
      assertThat(a.error()).as("create with cwd " + a.cwd()).isNotNull()
          .satisfiesAnyOf(e -> assertThat(e).startsWith("chdir " + a.cwd() + ": "),
              e -> assertThat(e).contains("is outside the container's root filesystem"));
      assertThat(a.error()).as("one line").doesNotContain("\n");
    }
  }

  /** The confirmed attack: `run -w /proc/self/fd/5` climbing to the host's root. */
  @Test
  void descriptorFiveOfTheConfirmedAttack() throws Exception {
    Bundle b = shBundle("cd ../../../../..; echo x > ." + hostDir + "/escaped",
        j -> process(j).put("cwd", "/proc/self/fd/5"));
    String id = newId("cve21626");
    String error = null;
    try {
      rt.create(id, b.dir(), CreateOptions.DEFAULT);
      rt.start(id);
      rt.awaitExit(id);
    } catch (RuntimeException e) {
      error = e.getMessage();
    }
    assertThat(hostDir.resolve("escaped")).doesNotExist();
    assertThat(error).isEqualTo("chdir /proc/self/fd/5: No such file or directory");
  }

  /** Every descriptor number, with the monitor holding what the engine's containers need (log, stdin). */
  @Test
  void noDescriptorNumberLeadsOut() throws Exception {
    CreateOptions engineLike = new CreateOptions(null, null, Stdio.INHERIT, false,
        LogConfig.defaults(tmp.resolve("json.log")), true, List.of());
    List<String> cwds = new ArrayList<>(descriptorPaths("/proc/self/fd/%d", LAST_FD));
    cwds.addAll(descriptorPaths("/proc/self/fd/%d/../../..", MONITOR_FDS_BELOW));
    cwds.addAll(descriptorPaths("/proc/1/fd/%d", MONITOR_FDS_BELOW));
    assertRefusedAndHostUntouched(tryCreate(cwds, engineLike, j -> {}));

    String id = newId("fds");
    rt.create(id, shBundle("true", j -> process(j).put("terminal", true)).dir(), engineLike);
    try (var fds = Files.list(Path.of("/proc/" + monitorPid(id) + "/fd"))) {
      assertThat(fds.map(f -> Integer.parseInt(f.getFileName().toString())).toList())
          .as("the monitor's descriptors").allMatch(fd -> fd < MONITOR_FDS_BELOW);
    }
  }

  /** With a terminal the monitor keeps: the pty is set up by the init before the working directory. */
  @Test
  void noDescriptorNumberLeadsOutWithATerminal() throws Exception {
    CreateOptions terminal = new CreateOptions(null, null, Stdio.INHERIT, false,
        LogConfig.defaults(tmp.resolve("json.log")), true, List.of());
    assertRefusedAndHostUntouched(tryCreate(descriptorPaths("/proc/self/fd/%d", MONITOR_FDS_BELOW), terminal,
        j -> process(j).put("terminal", true)));
  }

  /**
   * With createContainer and startContainer hooks: they run inside the init, the first before
   * pivot_root; each records the descriptors it got, which must be its stdio and its state only.
   */
  @Test
  void noDescriptorNumberLeadsOutWithHooks() throws Exception {
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    Path hook = Files.writeString(hooks.resolve("create.sh"), "#!/bin/sh\ncat >/dev/null\nls /proc/self/fd > "
        + hooks + "/fds\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Attempt> attempts = tryCreate(descriptorPaths("/proc/self/fd/%d", MONITOR_FDS_BELOW), CreateOptions.DEFAULT, j -> {
      j.withObject("/hooks").withArray("createContainer").addObject().put("path", hook.toString());
      j.withObject("/hooks").withArray("startContainer").addObject().put("path", "/bin/true");
    });
    assertRefusedAndHostUntouched(attempts);
    // 0 the state, 1 and 2 stdio, 3 the directory ls reads
    assertThat(Files.readAllLines(hooks.resolve("fds"))).containsExactly("0", "1", "2", "3");
  }

  /**
   * Sharing the host's pid namespace, /proc/PID/cwd and /proc/PID/root of a host process lead to the
   * host's directories without any descriptor: the check of the working directory after chdir
   * refuses them. (The host process is ours: the host's pid 1 may hold capabilities we lack.)
   */
  @Test
  void aHostProcessesDirectoryIsRefused() throws Exception {
    Process host = new ProcessBuilder("sleep", "60").directory(hostDir.toFile()).start();
    try {
      long pid = host.pid();
      List<String> cwds = List.of("/proc/" + pid + "/cwd", "/proc/" + pid + "/root", "/proc/" + pid + "/root" + hostDir,
          "/proc/" + pid + "/cwd/../..");
      assertRefusedAndHostUntouched(tryCreate(cwds, CreateOptions.DEFAULT, j -> removeNamespace(j, "pid")));
    } finally {
      host.destroyForcibly().waitFor();
    }
  }

  /**
   * An exec joining a running container: the same descriptor numbers, itself and the container's
   * pid 1, and with a terminal.
   */
  @Test
  void execCannotLeaveThroughADescriptor() throws Exception {
    Bundle b = shBundle("exec sleep 60", j -> {});
    String id = newId("exec");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    Spec.Process base = rt.savedSpec(id).process();
    List<String> cwds = new ArrayList<>(descriptorPaths("/proc/self/fd/%d", LAST_FD));
    cwds.addAll(descriptorPaths("/proc/1/fd/%d", MONITOR_FDS_BELOW));
    cwds.add("/proc/self/fd/5/../../../../..");
    // with a terminal (the exec's monitor holds the pty) over the monitor's range
    List<String> withTerminal = descriptorPaths("/proc/self/fd/%d", MONITOR_FDS_BELOW);
    cwds.addAll(withTerminal);
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < cwds.size(); i++) {
      String cwd = cwds.get(i);
      boolean terminal = i >= cwds.size() - withTerminal.size();
      Spec.Process p = new Spec.Process(terminal, null, base.user(), List.of("sh", "-c", escapeScript("exec-marker")),
          base.env(), cwd, base.capabilities(), base.rlimits(), base.noNewPrivileges(), null, null, null);
      try {
        ExecProcess exec = rt.exec(id, p, new ExecOptions(null, Stdio.INHERIT, false, terminal));
        ExitStatus exit = rt.awaitExec(exec);
        attempts.add(new Attempt(cwd, exit.code() == 0 ? null : "exit " + exit.code()));
      } catch (RuntimeException e) {
        attempts.add(new Attempt(cwd, e.getMessage()));
      }
    }
    assertRefusedAndHostUntouched(attempts);
  }

  /**
   * An exec being set up is not dumpable: the container's root, with the same capabilities once the
   * exec has set its own, cannot open /proc/PID/fd (nor cwd, root) of it while it waits to be
   * started. The container watches for processes that are not yet its `sleep` while execs come
   * and go; each exec is open to it for a millisecond or so, so a regression shows within the tries.
   */
  @Test
  void anExecBeingSetUpCannotBeOpenedFromTheContainer() throws Exception {
    String climb = "cd ../../../../../../../../../../../..; echo x > ." + hostDir + "/from-exec; cd /";
    // the launcher names itself jocker-launcher until it execs sleep
    Bundle b = shBundle("touch /out/ready; while [ ! -e /out/stop ]; do for d in /proc/[0-9]*; do"
        + " read -r name < $d/comm 2>/dev/null || continue; case $name in jocker-launcher) echo $d >> /out/seen;; *) continue;; esac;"
        + " for f in $d/cwd $d/root $d/fd/*; do"
        // opened, and the process still the launcher afterwards (not an exec'd sleep, not gone:
        // between exec's new dumpable memory and its new name the link shows the program's own)
        + "   if t=$(readlink $f 2>/dev/null) && read -r now < $d/comm && [ \"$now\" = jocker-launcher ];"
        + "   then echo \"$f -> $t\" >> /out/opened; fi;"
        + "   cd $f 2>/dev/null && { " + climb + "; };"
        + " done; done; done; exit 0", j -> {});
    String id = newId("race");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    for (int i = 0; i < 200 && !Files.exists(b.out().resolve("ready")); i++) {
      Thread.sleep(10);
    }
    Spec.Process base = rt.savedSpec(id).process();
    Spec.Process sleep = new Spec.Process(false, null, base.user(), List.of("sleep", "0"), base.env(), "/",
        base.capabilities(), base.rlimits(), base.noNewPrivileges(), null, null, null);
    for (int i = 0; i < 40; i++) {
      assertThat(rt.awaitExec(rt.exec(id, sleep, new ExecOptions(null, Stdio.INHERIT, false))).code()).isZero();
    }
    Files.writeString(b.out().resolve("stop"), "");
    assertThat(rt.awaitExit(id).code()).as(readIfExists(b.out().resolve("stderr"))).isZero();
    assertThat(readIfExists(b.out().resolve("seen"))).as("execs the container saw being set up").isNotEmpty();
    assertThat(readIfExists(b.out().resolve("opened"))).as("execs opened while being set up").isEmpty();
    try (var left = Files.list(hostDir)) {
      assertThat(left.toList()).as("files written into the host directory").isEmpty();
    }
  }

  /**
   * A non-dumpable init still sets up a user namespace: the monitor writes its id maps, the init
   * its oom score (as host root, before it joins), and an exec joins the namespace.
   */
  @Test
  void userNamespaceSetupWorksWhileNotDumpable() throws Exception {
    Bundle b = shBundle("cat /proc/self/oom_score_adj; id -u; cat /proc/self/uid_map; touch /out/ran; exec sleep 60", j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      process(j).put("oomScoreAdj", 500).put("cwd", "/tmp");
    });
    host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
    String id = newId("userns");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    for (int i = 0; i < 200 && !Files.exists(b.out().resolve("ran")); i++) {
      Thread.sleep(10);
    }
    List<String> lines = b.read("stdout").lines().toList();
    assertThat(lines.subList(0, 2)).as(b.read("stderr")).containsExactly("500", "0");
    assertThat(lines.get(2).trim().split("\\s+")).containsExactly("0", "100000", "65536");
    Spec.Process base = rt.savedSpec(id).process();
    Spec.Process p = new Spec.Process(false, null, base.user(), List.of("sh", "-c", "id -u > /out/exec; pwd >> /out/exec"),
        base.env(), "/etc", base.capabilities(), base.rlimits(), base.noNewPrivileges(), null, null, null);
    assertThat(rt.awaitExec(rt.exec(id, p, new ExecOptions(null, Stdio.INHERIT, false))).code()).isZero();
    assertThat(b.read("exec")).isEqualTo("0\n/etc\n");
  }
}
