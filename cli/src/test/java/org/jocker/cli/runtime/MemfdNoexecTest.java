package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher runs from a sealed memfd copy of itself (CVE-2019-5736). Since Linux 6.3,
 * vm.memfd_noexec = 1 makes memfds non-executable unless created with MFD_EXEC; the sysctl is per
 * pid namespace, so a fresh-JVM runtime in a new pid namespace with it set shows the host case.
 */
class MemfdNoexecTest extends RuntimeCliTestBase {
  private static final Path SYSCTL = Path.of("/proc/sys/vm/memfd_noexec");

  @Test
  void containersStartWhereMemfdsAreNotExecutableByDefault() throws Exception {
    assumeThat(Files.exists(SYSCTL)).as("vm.memfd_noexec needs Linux 6.3+").isTrue();
    Path bundle = cli.bundle("bundle", List.of("sh", "-c", "echo started"), false);
    Path runtime = RuntimeWrapper.write(tmp, cli.stateRoot());
    Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "sh", "-c",
        "echo 1 > " + SYSCTL + " && exec \"$@\"", "sh", runtime.toString(), "run", "-b", bundle.toString(), "n1")
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo("started\n");
  }
}
