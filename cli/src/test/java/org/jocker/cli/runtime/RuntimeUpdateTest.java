package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Test;

/** `runtime update` as runc update, read back from the container's cgroup files on the real kernel. */
class RuntimeUpdateTest extends RuntimeCliTestBase {
  private static final long MB = 1 << 20;
  private static final CgroupFiles.File RT_PERIOD = new CgroupFiles.File("cpu", "cpu.rt_period_us", null);
  private static final CgroupFiles.File RT_RUNTIME = new CgroupFiles.File("cpu", "cpu.rt_runtime_us", null);
  private static final CgroupFiles.File CPUSET_MEMS = new CgroupFiles.File("cpuset", "cpuset.mems", "cpuset.mems");
  private static final CgroupFiles.File BLKIO_WEIGHT = new CgroupFiles.File("blkio", "blkio.weight", null);

  private final CgroupFiles files = new CgroupFiles();

  private String read(String id, CgroupFiles.File f) throws Exception {
    return Files.readString(files.onHost(id, f)).strip();
  }

  private void ok(String... args) {
    Jocker.Result r = cli.runtime(args);
    assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void everyFlagReachesTheCgroupAndOmittedOnesKeepTheirValue() throws Exception {
    cli.runSleeping("u1");
    ok("update", "--memory", "64M", "--memory-reservation", "32m", "--cpu-share", "512", "--cpu-period", "50000",
        "--cpu-quota", "20000", "--cpuset-cpus", "0", "--cpuset-mems", "0", "--pids-limit", "20", "u1");
    assertThat(read("u1", CgroupFiles.MEMORY_LIMIT)).isEqualTo(Long.toString(64 * MB));
    assertThat(read("u1", CgroupFiles.MEMORY_RESERVATION)).isEqualTo(Long.toString(32 * MB));
    assertThat(read("u1", CgroupFiles.CPU_SHARES)).isEqualTo(files.pick(CgroupFiles.CPU_SHARES, "512", "20"));
    assertThat(read("u1", CgroupFiles.CPU_QUOTA)).isEqualTo(files.pick(CgroupFiles.CPU_QUOTA, "20000", "20000 50000"));
    assertThat(read("u1", CgroupFiles.CPU_PERIOD)).isEqualTo(files.pick(CgroupFiles.CPU_PERIOD, "50000", "20000 50000"));
    assertThat(read("u1", CgroupFiles.CPUSET_CPUS)).isEqualTo("0");
    assertThat(read("u1", CPUSET_MEMS)).isEqualTo("0");
    assertThat(read("u1", CgroupFiles.PIDS_MAX)).isEqualTo("20");

    // A period alone keeps the quota (cgroup2 writes both in cpu.max); the rest stays as it was.
    ok("update", "--cpu-period", "40000", "u1");
    assertThat(read("u1", CgroupFiles.CPU_PERIOD)).isEqualTo(files.pick(CgroupFiles.CPU_PERIOD, "40000", "20000 40000"));
    assertThat(read("u1", CgroupFiles.CPU_QUOTA)).isEqualTo(files.pick(CgroupFiles.CPU_QUOTA, "20000", "20000 40000"));
    assertThat(read("u1", CgroupFiles.MEMORY_LIMIT)).isEqualTo(Long.toString(64 * MB));
    assertThat(read("u1", CgroupFiles.PIDS_MAX)).isEqualTo("20");

    // -1: no limit.
    ok("update", "--pids-limit", "-1", "--memory", "-1", "--cpu-quota", "-1", "u1");
    assertThat(read("u1", CgroupFiles.PIDS_MAX)).isEqualTo("max");
    String memory = read("u1", CgroupFiles.MEMORY_LIMIT);
    assertThat(memory.equals("max") || Long.parseLong(memory) > (1L << 62)).as(memory).isTrue();
    assertThat(read("u1", CgroupFiles.CPU_QUOTA)).isEqualTo(files.pick(CgroupFiles.CPU_QUOTA, "-1", "max 40000"));
  }

  @Test
  void swapIsMemoryPlusSwapAsInRunc() throws Exception {
    assumeTrue(files.swapAccounting().orElse(false), "no swap accounting");
    cli.runSleeping("u2");
    ok("update", "--memory", "64M", "--memory-swap", "128M", "u2");
    // v1 memsw counts both; cgroup2's swap.max swap alone
    assertThat(read("u2", CgroupFiles.MEMORY_SWAP))
        .isEqualTo(files.pick(CgroupFiles.MEMORY_SWAP, Long.toString(128 * MB), Long.toString(64 * MB)));
  }

  @Test
  void resourcesFromAFileOrStdinWhereZerosKeepTheValue() throws Exception {
    cli.runSleeping("u3");
    ok("update", "--pids-limit", "20", "--memory", "64M", "u3");
    Path json = Files.writeString(tmp.resolve("r.json"),
        "{\"memory\":{\"limit\":0,\"reservation\":0,\"swap\":0},\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0,"
            + "\"cpus\":\"\",\"mems\":\"\"},\"blockIO\":{\"weight\":0},\"pids\":{\"limit\":33},"
            + "\"devices\":[{\"allow\":false}],\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}]}");
    ok("update", "-r", json.toString(), "u3");
    assertThat(read("u3", CgroupFiles.PIDS_MAX)).isEqualTo("33");
    assertThat(read("u3", CgroupFiles.MEMORY_LIMIT)).isEqualTo(Long.toString(64 * MB));
    // devices are not update's: the container can still use /dev/null
    assertThat(cli.runtime("exec", "u3", "sh", "-c", "echo x > /dev/null").code()).isZero();

    // From stdin; the flags are then ignored, as runc does.
    InputStream in = System.in;
    System.setIn(new ByteArrayInputStream("{\"pids\":{\"limit\":44}}".getBytes(StandardCharsets.UTF_8)));
    try {
      ok("update", "-r", "-", "--pids-limit", "5", "u3");
    } finally {
      System.setIn(in);
    }
    assertThat(read("u3", CgroupFiles.PIDS_MAX)).isEqualTo("44");

    Path none = tmp.resolve("none.json");
    cli.fails("open " + none + ": no such file or directory", "update", "-r", none.toString(), "u3");
  }

  @Test
  void kernelMemoryIsIgnoredWithAWarningAsInRunc11() throws Exception {
    cli.runSleeping("u4");
    Jocker.Result r = cli.runtime("update", "--kernel-memory", "10M", "u4");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEqualTo("jocker-runtime: warning: kernel memory settings are ignored and will be removed\n");
  }

  @Test
  void aPausedContainerIsUpdatedAStoppedOneIsNot() throws Exception {
    cli.runSleeping("u5");
    assertThat(cli.runtime("pause", "u5").code()).isZero();
    ok("update", "--pids-limit", "7", "u5");
    assertThat(read("u5", CgroupFiles.PIDS_MAX)).isEqualTo("7");
    assertThat(cli.runtime("resume", "u5").code()).isZero();
    assertThat(cli.runtime("kill", "u5", "KILL").code()).isZero();
    cli.awaitStatus("u5", "stopped");
    cli.fails("container u5 is not running", "update", "--pids-limit", "8", "u5");
  }

  @Test
  void badValuesAndUnknownContainersFailWithExitCodeOne() throws Exception {
    cli.runSleeping("u6");
    cli.fails("invalid value for memory: invalid size: 'abc'", "update", "--memory", "abc", "u6");
    Jocker.Result shares = cli.runtime("update", "--cpu-share", "x", "u6");
    assertThat(shares.code()).isEqualTo(1);
    assertThat(shares.err()).startsWith("jocker-runtime: invalid value for cpu-share: ");
    assertThat(cli.runtime("update", "--pids-limit", "x", "u6").code()).isEqualTo(1);
    assertThat(cli.runtime("update").code()).isEqualTo(1);
    Jocker.Result unknown = cli.runtime("update", "--pids-limit", "5", "nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("\"nope\" does not exist");
    // the kernel's refusal is the error (runc: "the minimum allowed cpu-shares is 2")
    assumeTrue(!files.onV2("cpu"));
    assertThat(cli.runtime("update", "--cpu-share", "1", "u6").code()).isEqualTo(1);
  }

  @Test
  void blkioWeightWhereTheSchedulerHasWeights() throws Exception {
    cli.runSleeping("u7");
    assumeTrue(!files.onV2("blkio"), "cgroup2 io.weight: a v2 host's test");
    Jocker.Result r = cli.runtime("update", "--blkio-weight", "500", "u7");
    Path weight = files.onHost("u7", BLKIO_WEIGHT);
    if (Files.exists(weight) || Files.exists(weight.resolveSibling("blkio.bfq.weight"))) {
      assertThat(r.code()).as(r.err()).isZero();
      Path file = Files.exists(weight) ? weight : weight.resolveSibling("blkio.bfq.weight");
      assertThat(Files.readString(file)).contains("500");
    } else {
      // as runc on such a host: it cannot, and says so
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("blkio.weight");
    }
  }

  /**
   * The realtime budget, as runc's own test sets it up: a cgroup's runtime must fit in its parent's,
   * whose default is none, so the container goes under a parent given a budget first.
   */
  @Test
  void realtimePeriodAndRuntime() throws Exception {
    Hierarchy cpu = files.hierarchy("cpu");
    assumeTrue(!cpu.unified(), "cgroup2 has no realtime budget");
    assumeTrue(Files.exists(cpu.mountPoint().resolve(RT_RUNTIME.v1())), "no CONFIG_RT_GROUP_SCHED");
    String parent = "jocker-rt-" + Long.toHexString(System.nanoTime());
    Path parentDir = Files.createDirectory(cpu.mountPoint().resolve(parent));
    try {
      Files.writeString(parentDir.resolve(RT_PERIOD.v1()), "1000000");
      Files.writeString(parentDir.resolve(RT_RUNTIME.v1()), "100000");
      cli.bundle("rt", List.of("sleep", "600"),
          config -> ((ObjectNode) config.get("linux")).put("cgroupsPath", "/" + parent + "/rt1"));
      long pid = cli.runDetached("rt1", tmp.resolve("rt"));
      ok("update", "--cpu-rt-period", "900000", "--cpu-rt-runtime", "1000", "rt1");
      assertThat(Files.readString(files.onHostOf(pid, RT_PERIOD)).strip()).isEqualTo("900000");
      assertThat(Files.readString(files.onHostOf(pid, RT_RUNTIME)).strip()).isEqualTo("1000");
    } finally {
      cli.runtime("delete", "--force", "rt1");
      // the runtime leaves a parent it did not make in this process; this test made them
      for (Hierarchy h : CgroupLayout.detect().hierarchies()) {
        Files.deleteIfExists(h.mountPoint().resolve(parent));
      }
    }
  }
}
