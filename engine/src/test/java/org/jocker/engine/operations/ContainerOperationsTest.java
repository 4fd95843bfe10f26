package org.jocker.engine.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jocker.engine.Captured;
import org.jocker.engine.EngineException;
import org.jocker.engine.EngineTestBase;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.spec.RunOptions;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inspect, exec, top, stats and cp on the real kernel, with the built-in busybox image. */
class ContainerOperationsTest extends EngineTestBase {
  private final CgroupFiles files = new CgroupFiles();
  private CompletableFuture<Integer> background;

  private ContainerOperations ops() {
    return engine().operations();
  }


  private int run(String name, String script) {
    RunOptions options = new RunOptions("busybox", List.of("sh", "-c", script), null, List.of("FOO=bar"), null,
        null, null, name, false, false);
    return Captured.of(kernel, io -> engine().run(options, io)).code();
  }

  /** A container running `script` on a thread until it ends or is removed; waits until it runs. */
  private void runInBackground(String name, String script) throws Exception {
    background = CompletableFuture.supplyAsync(() -> run(name, script));
    for (int i = 0; i < 200; i++) {
      if (ops().lookup(name).isPresent() && ops().status(name).status().equals("running")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("container " + name + " did not start");
  }

  private Captured exec(String container, ExecRequest request) {
    return Captured.of(kernel, io -> ops().exec(container, request, io));
  }

  private Captured exec(String container, String... command) {
    return exec(container, new ExecRequest(List.of(command), List.of(), null, null, false, false));
  }

  @AfterEach
  void removeAll() throws Exception {
    removeAllContainers();
    if (background != null) {
      background.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void inspectOfAnExitedContainer() {
    assertThat(run("done", "exit 3")).isEqualTo(3);
    JsonNode j = ops().inspect("done");
    assertThat(j.get("Id").asText()).matches("[0-9a-f]{64}");
    assertThat(j.get("Name").asText()).isEqualTo("/done");
    assertThat(j.get("Path").asText()).isEqualTo("sh");
    assertThat(j.get("Args")).hasSize(2);
    assertThat(j.at("/State/Status").asText()).isEqualTo("exited");
    assertThat(j.at("/State/Running").asBoolean()).isFalse();
    assertThat(j.at("/State/ExitCode").asInt()).isEqualTo(3);
    assertThat(j.at("/State/Pid").asInt()).isZero();
    assertThat(j.at("/State/OOMKilled").asBoolean()).isFalse();
    assertThat(j.at("/State/FinishedAt").asText()).isNotEqualTo(ContainerInspector.ZERO_TIME);
    assertThat(j.get("Image").asText()).startsWith("sha256:");
    assertThat(j.at("/Config/Image").asText()).isEqualTo("busybox");
    assertThat(j.at("/Config/Env").toString()).contains("FOO=bar");
    assertThat(j.at("/Config/Cmd/0").asText()).isEqualTo("sh");
    assertThat(j.at("/GraphDriver/Name").asText()).isEqualTo("overlay");
    assertThat(j.at("/GraphDriver/Data/UpperDir").asText()).isNotEmpty();
    assertThat(j.at("/HostConfig/AutoRemove").asBoolean()).isFalse();
    assertThat(j.get("Mounts")).isEmpty();
    assertThatThrownBy(() -> ops().inspect("nope")).hasMessageContaining("No such container: nope");
  }

  @Test
  void inspectExecTopStatsOfARunningContainer() throws Exception {
    runInBackground("live", "sleep 30; exit 0");
    JsonNode j = ops().inspect("live");
    assertThat(j.at("/State/Status").asText()).isEqualTo("running");
    assertThat(j.at("/State/Running").asBoolean()).isTrue();
    int pid = j.at("/State/Pid").asInt();
    assertThat(pid).isPositive();
    assertThat(j.at("/State/StartedAt").asText()).isNotEqualTo(ContainerInspector.ZERO_TIME);
    assertThat(j.at("/State/FinishedAt").asText()).isEqualTo(ContainerInspector.ZERO_TIME);

    Captured r = exec("live", "sh", "-c", "echo hello; exit 7");
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.out()).isEqualTo("hello\n");
    // same pid namespace: pid 1 is the container's init
    assertThat(exec("live", "cat", "/proc/1/cmdline").out()).isEqualTo("sh\0-c\0sleep 30; exit 0\0");
    Captured env = exec("live", new ExecRequest(List.of("sh", "-c", "echo $FOO $BAZ; id -u; pwd"),
        List.of("BAZ=qux"), "nobody", "/tmp", false, false));
    assertThatThrownBy(() -> exec("live", new ExecRequest(List.of("true"), List.of(), "nosuchuser", null, false,
        false))).satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.CANNOT_INVOKE));
    assertThat(env.code()).isZero();
    assertThat(env.out()).isEqualTo("bar qux\n65534\n/tmp\n");
    assertThatThrownBy(() -> exec("live", "no-such-command")).isInstanceOf(EngineException.class)
        .hasMessageContaining("executable file not found")
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.COMMAND_NOT_FOUND));
    assertThat(exec("live", new ExecRequest(List.of("sleep", "1"), List.of(), null, null, true, false)).code())
        .isZero();

    ContainerTop.Listing top = ops().top("live", List.of());
    assertThat(top.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    assertThat(top.processes()).anySatisfy(p -> {
      assertThat(p.get(1)).isEqualTo(Integer.toString(pid));
      assertThat(p.get(7)).isEqualTo("sh -c sleep 30; exit 0");
    });
    assertThat(top.processes()).anySatisfy(p -> assertThat(p.get(7)).isEqualTo("sleep 30"));

    List<ContainerStats> stats = ops().stats(List.of("live"), 200);
    assertThat(stats).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("live");
      assertThat(s.memoryUsage()).isPositive();
      assertThat(s.memoryLimit()).isPositive();
      assertThat(s.pids()).isGreaterThanOrEqualTo(1);
    });
  }

  @Test
  void execIntoAStoppedContainerIsRefused() {
    run("stopped", "true");
    assertThatThrownBy(() -> exec("stopped", "true")).isInstanceOf(EngineException.class)
        .hasMessageContaining("is not running")
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.CONFLICT));
    assertThatThrownBy(() -> ops().top("stopped", List.of())).hasMessageContaining("is not running");
  }

  @Test
  void oomKilledIsTrueOnlyAfterTheOomKiller() throws Exception {
    runInBackground("oom", "sleep 30");
    assertThat(ops().inspect("oom").at("/State/OOMKilled").asBoolean()).isFalse();
    int pid = ops().inspect("oom").at("/State/Pid").asInt();
    Files.writeString(files.onHostOf(pid, CgroupFiles.MEMORY_LIMIT), Integer.toString(16 << 20));
    Captured hog = exec("oom", "sh", "-c", "x=0123456789abcdef; while true; do x=$x$x; done");
    assertThat(hog.code()).isEqualTo(137);
    assertThat(ops().inspect("oom").at("/State/OOMKilled").asBoolean()).isTrue();
  }

  @Test
  void aContainerWhoseInitTheOomKillerEndedIsExitedWithOomKilled() throws Exception {
    runInBackground("oom-init", "sleep 1; x=0123456789abcdef; while true; do x=$x$x; done");
    int pid = ops().inspect("oom-init").at("/State/Pid").asInt();
    Files.writeString(files.onHostOf(pid, CgroupFiles.MEMORY_LIMIT), Integer.toString(16 << 20));
    assertThat(background.get(30, TimeUnit.SECONDS)).isEqualTo(137);
    JsonNode state = ops().inspect("oom-init").get("State");
    assertThat(state.get("Status").asText()).isEqualTo("exited");
    assertThat(state.get("ExitCode").asInt()).isEqualTo(137);
    assertThat(state.get("OOMKilled").asBoolean()).isTrue();
  }

  @Test
  void aContainerAllocatingBeyondItsMemoryLimitIsOomKilled() {
    HostConfig.Builder limits = HostConfig.builder();
    limits.memory = 16L << 20;
    // /dev/zero has no newline: tail keeps buffering the line until the OOM killer ends it
    RunOptions options = new RunOptions("busybox", List.of("tail", "/dev/zero"), null, List.of(), null, null, null,
        "hog", false, false, limits.build());
    assertThat(Captured.of(kernel, io -> engine().run(options, io)).code()).isEqualTo(137);
    JsonNode state = ops().inspect("hog").get("State");
    assertThat(state.get("Status").asText()).isEqualTo("exited");
    assertThat(state.get("ExitCode").asInt()).isEqualTo(137);
    assertThat(state.get("OOMKilled").asBoolean()).isTrue();
  }

  @Test
  void cpStaysInsideTheContainer() throws Exception {
    runInBackground("files", "echo 'root:x:0:0:container:/root:/bin/sh' > /etc/passwd; ln -s / /tmp/root;"
        + " mkdir -p /data/sub; echo one > /data/a; echo two > /data/sub/b; ln -s /etc /data/link; sleep 30");
    Thread.sleep(300);
    ops().copy("files", c -> assertThat(ops().status("files").status()).isEqualTo("paused"));
    assertThat(ops().status("files").status()).isEqualTo("running");
    ContainerCopier cp = ops().copier("files");
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    cp.copyOut("/tmp/root/etc/passwd", out.resolve("passwd"), false);
    assertThat(Files.readString(out.resolve("passwd"))).isEqualTo("root:x:0:0:container:/root:/bin/sh\n");
    cp.copyOut("/tmp/root/../../../etc/passwd", out.resolve("passwd2"), false);
    assertThat(Files.readString(out.resolve("passwd2"))).isEqualTo("root:x:0:0:container:/root:/bin/sh\n");

    cp.copyOut("/data", out, false);
    assertThat(Files.readString(out.resolve("data/a"))).isEqualTo("one\n");
    assertThat(Files.readString(out.resolve("data/sub/b"))).isEqualTo("two\n");
    assertThat(Files.isSymbolicLink(out.resolve("data/link"))).isTrue();
    assertThat(Files.readSymbolicLink(out.resolve("data/link")).toString()).isEqualTo("/etc");

    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("tree/deeper"));
    Files.writeString(in.resolve("hello.txt"), "from host\n");
    Files.writeString(in.resolve("tree/deeper/x"), "x\n");
    ops().copier("files").copyIn(in.resolve("hello.txt"), "/tmp/root/root/");
    assertThat(exec("files", "cat", "/root/hello.txt").out()).isEqualTo("from host\n");
    ops().copier("files").copyIn(in.resolve("tree"), "/data");
    assertThat(exec("files", "cat", "/data/tree/deeper/x").out()).isEqualTo("x\n");
    // /data/link -> /etc inside the container: writing through it lands in the container's /etc
    ops().copier("files").copyIn(in.resolve("hello.txt"), "/data/link/");
    assertThat(exec("files", "cat", "/etc/hello.txt").out()).isEqualTo("from host\n");
    assertThat(Files.exists(Path.of("/etc/hello.txt"))).isFalse();

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    ops().copier("files").copyOutTar("/tmp/root/data", tar, false);
    List<String> names = new java.util.ArrayList<>();
    try (var in2 = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        new java.io.ByteArrayInputStream(tar.toByteArray()))) {
      for (var e = in2.getNextEntry(); e != null; e = in2.getNextEntry()) {
        names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
      }
    }
    assertThat(names).contains("data/", "data/a", "data/sub/", "data/sub/b", "data/link -> /etc");

    // a hostile stream: "..", absolute names and a symlink it makes itself all stay inside
    ByteArrayOutputStream evil = new ByteArrayOutputStream();
    try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(evil)) {
      var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("up",
          org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
      link.setLinkName("/");
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
      for (String name : List.of("up/etc/jocker-planted-1", "../../../etc/jocker-planted-2", "/etc/jocker-planted-3")) {
        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
        byte[] data = "planted\n".getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.setMode(0644);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
    ops().copier("files").copyInTar(new java.io.ByteArrayInputStream(evil.toByteArray()), "/data");
    for (int i = 1; i <= 3; i++) {
      assertThat(Files.exists(Path.of("/etc/jocker-planted-" + i))).isFalse();
    }
    assertThat(exec("files", "cat", "/etc/jocker-planted-1", "/etc/jocker-planted-2", "/data/etc/jocker-planted-3")
        .out()).isEqualTo("planted\nplanted\nplanted\n");

    assertThatThrownBy(() -> ops().copier("files").copyOut("/nope", out, false))
        .hasMessageContaining("Could not find the file /nope in container files");
  }
}
