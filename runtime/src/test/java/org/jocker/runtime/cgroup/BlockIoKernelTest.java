package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * linux.resources.blockIO's per-device limits on the host's real cgroups, whichever drives them:
 * v1 blkio (blkio.throttle.*_device) or cgroup2 io (io.max).
 */
class BlockIoKernelTest {
  private final String name = "jocker-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private Hierarchy hierarchy;
  private Path dir;
  private CgroupManager manager;

  @BeforeEach
  void setUp() {
    assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
    CgroupLayout layout = CgroupLayout.detect();
    hierarchy = layout.hierarchyFor("blkio").or(() -> layout.hierarchyFor("io")).orElse(null);
    assumeTrue(hierarchy != null, "no blkio or io controller on this host");
    manager = Cgroups.forContainer(layout, "/" + name, name);
    dir = manager.directories().get(hierarchy);
  }

  @AfterEach
  void cleanUp() {
    if (manager != null) {
      try {
        manager.destroy();
      } finally {
        manager.directories().values().forEach(CgroupCleanup::removeTree);
      }
    }
  }

  private String read(String file) throws IOException {
    return Files.readString(dir.resolve(file)).trim();
  }

  private void apply(Spec.BlockIo io) {
    manager.apply(new Spec.Resources(null, null, null, null, io, null));
  }

  @Test
  void throttlesPerDevice() throws IOException {
    manager.create();
    String disk = wholeDisk();
    apply(new Spec.BlockIo(null, null, null, List.of(throttle(disk, 1048576)),
        List.of(throttle(disk, 2097152)), List.of(throttle(disk, 300)), List.of(throttle(disk, 400))));

    if (hierarchy.unified()) {
      assertThat(read("io.max")).isEqualTo(disk + " rbps=1048576 wbps=2097152 riops=300 wiops=400");
    } else {
      assertThat(read("blkio.throttle.read_bps_device")).isEqualTo(disk + " 1048576");
      assertThat(read("blkio.throttle.write_bps_device")).isEqualTo(disk + " 2097152");
      assertThat(read("blkio.throttle.read_iops_device")).isEqualTo(disk + " 300");
      assertThat(read("blkio.throttle.write_iops_device")).isEqualTo(disk + " 400");
    }

    // a rate of 0 removes the limit (v1 reads it so; cgroup2 gets "max")
    apply(new Spec.BlockIo(null, null, null, List.of(throttle(disk, 0)), null, null, null));
    if (hierarchy.unified()) {
      assertThat(read("io.max")).isEqualTo(disk + " rbps=max wbps=2097152 riops=300 wiops=400");
    } else {
      assertThat(read("blkio.throttle.read_bps_device")).isEmpty();
    }
  }

  @Test
  void weightsPerDeviceWhereTheKernelHasThem() throws IOException {
    manager.create();
    String disk = wholeDisk();
    String[] mm = disk.split(":");
    Spec.BlockIo io = new Spec.BlockIo(null, null,
        List.of(new Spec.WeightDevice(Long.parseLong(mm[0]), Long.parseLong(mm[1]), 200, null)),
        null, null, null, null);
    String bfq = hierarchy.unified() ? "io.bfq.weight" : "blkio.bfq.weight_device";
    if (Files.exists(dir.resolve(bfq))) {
      apply(io);
      assertThat(read(bfq)).contains(disk + " 200");
    } else if (hierarchy.unified() && ioCostEnabled(disk)) {
      apply(io);
      assertThat(read("io.weight")).contains(disk + " " + V2Io.ioWeight(200));
    } else if (hierarchy.unified()) {
      // iocost takes a device's own weight only where io.cost.qos enables it for the device
      assertThatThrownBy(() -> apply(io)).hasMessageContaining("weightDevice needs the BFQ scheduler")
          .hasMessageContaining("cannot set io.weight to " + disk + " " + V2Io.ioWeight(200));
    } else if (Files.exists(dir.resolve("blkio.weight_device"))) {
      apply(io);
      assertThat(read("blkio.weight_device")).contains(disk + " 200");
    } else {
      assertThatThrownBy(() -> apply(io))
          .hasMessageContaining("neither blkio.weight_device nor blkio.bfq.weight_device exists");
    }
  }

  /** What the cgroup's processes write shows in its stats (O_DIRECT: counted as submitted, v1 too). */
  @Test
  void statsCountWhatTheCgroupWrites(@TempDir Path data) throws Exception {
    long dev = (long) Files.getAttribute(data, "unix:dev");
    assumeTrue(((dev >> 8) & 0xfff) != 0, "the temp directory is not on a block device: " + data);
    manager.create();
    // cgroup2 counts once io is on for the cgroup: a limit far above what this writes turns it on
    apply(new Spec.BlockIo(null, null, null, null, List.of(throttle(wholeDisk(), 1L << 40)), null, null));
    Process p = new ProcessBuilder("sh", "-c", "read go && exec dd if=/dev/zero of=" + data.resolve("f")
        + " bs=4096 count=256 oflag=direct").redirectErrorStream(true).start();
    manager.addProcess(p.pid());
    p.getOutputStream().write("go\n".getBytes());
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    CgroupStats.BlockIo io = manager.stats().blockIo();
    assertThat(io.bytes("Write")).as(io.toString()).isGreaterThanOrEqualTo(1 << 20);
    assertThat(io.serviced()).isNotEmpty();
  }

  private boolean ioCostEnabled(String disk) throws IOException {
    Path qos = hierarchy.mountPoint().resolve("io.cost.qos");
    return Files.exists(qos) && Files.readString(qos).contains(disk + " enable=1");
  }

  /** "MAJ:MIN" of a whole disk of this host (blkio and io refuse partitions). */
  private static String wholeDisk() throws IOException {
    try (var disks = Files.list(Path.of("/sys/block"))) {
      List<String> ids = disks.sorted().map(d -> {
        try {
          return Files.readString(d.resolve("dev")).trim();
        } catch (IOException e) {
          return "";
        }
      }).filter(id -> !id.isEmpty()).toList();
      assumeTrue(!ids.isEmpty(), "no block device on this host");
      // a real disk rather than a loop device when there is one
      return ids.stream().filter(id -> !id.startsWith("7:")).findFirst().orElse(ids.get(0));
    }
  }

  private static Spec.ThrottleDevice throttle(String disk, long rate) {
    String[] mm = disk.split(":");
    return new Spec.ThrottleDevice(Long.parseLong(mm[0]), Long.parseLong(mm[1]), rate);
  }
}
