package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.CgroupDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroup driver options on a host whose init is not systemd (this one; the systemd driver
 * itself is tested in the v2 VM, SystemdCgroupDriverTest): cgroupfs is the default, and asking for
 * systemd is one clear line.
 */
class CgroupDriverCliTest extends RuntimeCliTestBase {
  @BeforeEach
  void withoutSystemd() {
    Assumptions.assumeFalse(CgroupDriver.systemdRunning(),
        "systemd runs on this host (/run/systemd/system exists): these are the checks for hosts without it");
  }

  @Test
  void cgroupfsIsTheDefaultWithoutSystemd() throws Exception {
    assertThat(CgroupDriver.hostDefault()).isEqualTo(CgroupDriver.CGROUPFS);
    long pid = cli.runSleeping("drv-default");
    assertThat(Files.readString(Path.of("/proc/" + pid + "/cgroup"))).contains("/jocker/drv-default\n");
  }

  @Test
  void systemdCgroupIsAClearErrorWithoutSystemd() throws Exception {
    Path bundle = cli.bundle("drv-sd", List.of("true"), config -> {});
    Jocker.Result r = cli.runtime("--systemd-cgroup", "run", "-d", "-b", bundle.toString(), "drv-sd");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jocker-runtime: --systemd-cgroup: systemd is not running on this host"
        + " (/run/systemd/system is missing); leave the option out to use cgroupfs\n");
    assertThat(cli.runtime("list", "-q").out()).isEmpty();
  }

  @Test
  void theEnginesCgroupManagerOptionIsCheckedInOneLine() {
    Jocker.Result bad = cli.jocker("--cgroup-manager", "bogus", "ps");
    assertThat(bad.code()).isEqualTo(125);
    assertThat(bad.err().lines().findFirst().orElse(""))
        .contains("--cgroup-manager").contains("unknown cgroup manager \"bogus\": use systemd or cgroupfs");
    Jocker.Result systemd = cli.jocker("--cgroup-manager", "systemd", "ps");
    assertThat(systemd.code()).isEqualTo(125);
    assertThat(systemd.err().lines().findFirst().orElse("")).contains("systemd is not running on this host");
    assertThat(cli.jocker("--cgroup-manager", "cgroupfs", "ps").code()).isZero();
  }
}
