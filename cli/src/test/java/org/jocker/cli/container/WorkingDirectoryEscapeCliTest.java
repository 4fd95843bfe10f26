package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CVE-2024-21626 through the engine, as a user tries it: `run -w`, an image's WORKDIR and
 * `exec -w` naming a descriptor the container's init could have inherited from the host. The
 * command climbs to the host's root and writes into a host directory; that file must never appear,
 * and the user gets Docker's exit code with a one-line error.
 */
class WorkingDirectoryEscapeCliTest extends CliTestBase {
  static final int FIRST_FD = 3;
  static final int LAST_FD = 64;
  /** Above every descriptor a monitor holds (WorkingDirectoryEscapeTest checks it): variants stop here. */
  static final int MONITOR_FDS_BELOW = 20;

  /** Writable by all, as /tmp is; no container sees it. */
  private Path hostDir;

  @BeforeEach
  void setUp() throws IOException {
    hostDir = Files.createDirectories(tmp.resolve("host-only"));
    Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterEach
  void cleanUp() {
    jocker.removeAllContainers();
  }

  /** From the working directory up to the root (".." stops there), then into hostDir. */
  private String climbAndWrite(String name) {
    return "cd ../../../../../../../../../../../..; echo x > ." + hostDir + "/" + name;
  }

  private static List<String> descriptors(String format, int last) {
    return IntStream.rangeClosed(FIRST_FD, last).mapToObj(format::formatted).toList();
  }

  /** Runs each attempt; asserts every one was refused with a one-line error and Docker's exit code. */
  private void assertAllRefused(List<String> cwds, Function<String, Jocker.Result> attempt) throws IOException {
    for (String cwd : cwds) {
      Jocker.Result r = attempt.apply(cwd);
      try (var left = Files.list(hostDir)) {
        assertThat(left.toList()).as("files written into the host directory, from " + cwd).isEmpty();
      }
      assertThat(r.code()).as("%s: %s", cwd, r.err()).isIn(125, 127);
      assertThat(r.err()).as(cwd).contains("chdir " + cwd + ": ").doesNotContain("Exception").hasLineCount(1);
      assertThat(r.code()).as(cwd).isEqualTo(r.err().contains("No such file or directory") ? 127 : 125);
    }
  }

  /** The confirmed attack, as it was reported (with the file in our host directory, not /tmp). */
  @Test
  void confirmedRunWorkdirAttack() throws Exception {
    String relative = hostDir.resolve("escaped").toString().substring(1);
    Jocker.Result r = jocker.run("run", "--rm", "-w", "/proc/self/fd/5", "busybox", "sh", "-c",
        "cd ../../../../..; echo x > " + relative);
    assertThat(hostDir.resolve("escaped")).doesNotExist();
    assertThat(r.code()).isEqualTo(127);
    assertThat(r.err()).isEqualTo("jocker: chdir /proc/self/fd/5: No such file or directory\n");
  }

  @Test
  void runWorkdirThroughAnyDescriptor() throws Exception {
    // the variants (relative, /proc/1) run in WorkingDirectoryEscapeTest, where a try costs less
    assertAllRefused(descriptors("/proc/self/fd/%d", LAST_FD), cwd -> jocker.run("run", "--rm", "-w", cwd, "busybox", "sh", "-c", climbAndWrite("run")));
  }

  /** With a terminal, set up by the init before it changes directory. */
  @Test
  void runWithATerminal() throws Exception {
    assertAllRefused(descriptors("/proc/self/fd/%d", MONITOR_FDS_BELOW),
        cwd -> jocker.run("run", "--rm", "-t", "-w", cwd, "busybox", "sh", "-c", climbAndWrite("tty")));
  }

  /**
   * An image whose WORKDIR names a descriptor: the image, not the user, picks the directory. It
   * becomes the same process.cwd as `run -w` (tried above for every number): the monitor's range.
   */
  @Test
  void imageWorkdirThroughAnyDescriptor() throws Exception {
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Path tar = tmp.resolve("rootfs.tar");
    Jocker.tool(rootfs, "tar", "-cf", tar.toString(), ".");
    assertAllRefused(descriptors("/proc/self/fd/%d", MONITOR_FDS_BELOW), cwd -> {
      String image = "workdir:" + cwd.replaceAll("[^0-9]", "");
      jocker.ok("import", "-c", "WORKDIR " + cwd, tar.toString(), image);
      return jocker.run("run", "--rm", image, "sh", "-c", climbAndWrite("image"));
    });
  }

  /** `exec -w` joins a running container: its own descriptors, the container's pid 1's, with -t. */
  @Test
  void execWorkdirThroughAnyDescriptor() throws Exception {
    jocker.ok("run", "-d", "--name", "live", "busybox", "sleep", "300");
    List<String> cwds = new ArrayList<>(descriptors("/proc/self/fd/%d", LAST_FD));
    cwds.addAll(descriptors("/proc/1/fd/%d", MONITOR_FDS_BELOW));
    assertAllRefused(cwds, cwd -> jocker.run("exec", "-w", cwd, "live", "sh", "-c", climbAndWrite("exec")));
    assertAllRefused(descriptors("/proc/self/fd/%d", MONITOR_FDS_BELOW),
        cwd -> jocker.run("exec", "-t", "-w", cwd, "live", "sh", "-c", climbAndWrite("exec-tty")));
  }
}
