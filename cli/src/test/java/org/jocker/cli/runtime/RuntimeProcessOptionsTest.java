package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.Test;

/** run --keep, exec --ignore-paused and --preserve-fds on run, create and exec, as runc has them. */
class RuntimeProcessOptionsTest extends RuntimeCliTestBase {
  /**
   * What the container's shell has open, one per line: listed by a child with the shell's own
   * stdout (a pipe or a redirection would open one in the shell too; not last, or ash execs it).
   */
  private static final String OPEN_FDS = "ls /proc/$$/fd; exit 0";

  @Test
  void runKeepLeavesTheContainerStopped() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("sh", "-c", "exit 3"), false);
    assertThat(cli.runtime("run", "--keep", "-b", bundle.toString(), "k1").code()).isEqualTo(3);
    assertThat(cli.state("k1").get("status").asText()).isEqualTo("stopped");
    assertThat(cli.state("k1").at("/exitStatus/code").asInt()).isEqualTo(3);
    assertThat(cli.runtime("delete", "k1").code()).isZero();
    assertThat(cli.runtime("list", "-q").out()).isEmpty();
  }

  @Test
  void execIgnorePausedStartsTheProcessOnceResumed() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("sleep", "600"), false);
    cli.runDetached("i1", bundle);
    assertThat(cli.runtime("pause", "i1").code()).isZero();
    Jocker.Result refused = cli.runtime("exec", "i1", "true");
    assertThat(refused.code()).isEqualTo(255);
    assertThat(refused.err()).contains("cannot exec in a paused container").contains("--ignore-paused");

    Process exec = runtimeProcess(List.of(), "exec", "--ignore-paused", "i1", "sh", "-c", "echo ran > /tmp/ran")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      // frozen with the container: it waits for the resume, as runc's does
      assertThat(exec.waitFor(3, TimeUnit.SECONDS)).isFalse();
      assertThat(bundle.resolve("rootfs/tmp/ran")).doesNotExist();
      assertThat(cli.runtime("resume", "i1").code()).isZero();
      assertThat(exec.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(exec.exitValue()).isZero();
      assertThat(Files.readString(bundle.resolve("rootfs/tmp/ran"))).isEqualTo("ran\n");
    } finally {
      exec.destroyForcibly();
    }
  }

  /** The caller's 3 and 4 reach the container as 3 and 4, and nothing else does (CVE-2024-21626). */
  @Test
  void preservedDescriptorsReachRunCreateAndExecAndNothingElse() throws Exception {
    Path one = Files.writeString(tmp.resolve("one"), "one\n");
    Path two = Files.writeString(tmp.resolve("two"), "two\n");
    String show = "cat <&3; cat <&4; " + OPEN_FDS;
    Path bundle = cli.bundle("bundle", List.of("sh", "-c", show), false);
    assertThat(output(List.of(one, two), "run", "--preserve-fds", "2", "-b", bundle.toString(), "f1"))
        .isEqualTo("one\ntwo\n0\n1\n2\n3\n4\n");

    // create: the waiting init keeps them until start
    Path logged = cli.bundle("logged", List.of("sh", "-c", "exec > /tmp/out; cat <&3; " + OPEN_FDS), c -> {});
    Process create = runtimeProcess(List.of(one), "create", "--preserve-fds", "1", "-b", logged.toString(), "f2")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start(); // the created init holds our stdout
    assertThat(create.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(create.exitValue()).isZero();
    assertThat(cli.runtime("start", "f2").code()).isZero();
    cli.awaitStatus("f2", "stopped");
    assertThat(Files.readString(logged.resolve("rootfs/tmp/out"))).isEqualTo("one\n0\n1\n2\n3\n");

    cli.runSleeping("f3");
    assertThat(output(List.of(one, two), "exec", "--preserve-fds", "2", "f3", "sh", "-c", show))
        .isEqualTo("one\ntwo\n0\n1\n2\n3\n4\n");
    assertThat(output(List.of(one, two), "exec", "f3", "sh", "-c", OPEN_FDS)).isEqualTo("0\n1\n2\n");
  }

  @Test
  void aPreservedDirectoryIsNoWayOutOfTheRoot() throws Exception {
    Path hostDir = Files.createDirectories(tmp.resolve("host-only"));
    Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    cli.runSleeping("d1");
    Process exec = runtimeProcess(List.of(hostDir), "exec", "--preserve-fds", "1", "--cwd", "/proc/self/fd/3", "d1",
        "sh", "-c", "echo x > escaped").redirectError(tmp.resolve("err").toFile()).start();
    assertThat(exec.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(exec.exitValue()).isEqualTo(255); // runc's exec failures
    assertThat(Files.readString(tmp.resolve("err"))).contains("outside the container's root");
    assertThat(hostDir.resolve("escaped")).doesNotExist();
  }

  @Test
  void descriptorsThatAreNotOpenAreRefused() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("true"), false);
    Jocker.Result r = cli.runtime("run", "--preserve-fds", "100000", "-b", bundle.toString(), "n1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("jocker-runtime: unable to stat preserved-fd ");
    assertThat(cli.runtime("list", "-q").out()).isEmpty();
  }

  /** The runtime in a process of its own whose descriptors 3, 4... are {@code files}, opened for reading. */
  private ProcessBuilder runtimeProcess(List<Path> files, String... args) throws IOException {
    StringBuilder script = new StringBuilder();
    List<String> argv = new ArrayList<>(List.of("sh", "-c", "", "sh"));
    for (int i = 0; i < files.size(); i++) {
      script.append("exec ").append(3 + i).append("<\"$").append(i + 1).append("\"; ");
      argv.add(files.get(i).toString());
    }
    script.append("shift ").append(files.size()).append("; exec \"$@\"");
    argv.set(2, script.toString());
    argv.add(RuntimeWrapper.write(tmp, cli.stateRoot()).toString());
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
  }

  private String output(List<Path> files, String... args) throws Exception {
    Process p = runtimeProcess(files, args).redirectError(tmp.resolve("stderr").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("stderr"))).isZero();
    return out;
  }
}
