package org.jocker.engine.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of the cgroup's block I/O counters and of ps output, without a container. */
class ContainerStatsTest {
  @TempDir Path tmp;

  @Test
  void blockIoSumsDevicesInBothCgroupVersions() throws Exception {
    Path v1 = Files.createDirectories(tmp.resolve("blkio"));
    Files.writeString(v1.resolve("blkio.throttle.io_service_bytes_recursive"),
        "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:16 Read 100\n8:16 Write 1\nTotal 12389\n");
    assertThat(ContainerStats.blockIo(Map.of("blkio", v1))).containsExactly(4196, 8193);
    Path v2 = Files.createDirectories(tmp.resolve("unified"));
    Files.writeString(v2.resolve("io.stat"), "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n"
        + "8:16 rbytes=5 wbytes=5 rios=1 wios=1 dbytes=0 dios=0\n");
    assertThat(ContainerStats.blockIo(Map.of("unified", v2))).containsExactly(15, 25);
    assertThat(ContainerStats.blockIo(Map.of("cpu,cpuacct", tmp))).containsExactly(0, 0);
  }

  @Test
  void topKeepsTheContainersPidsAndTheCommandWhole() {
    String ps = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
        + "root           1       0  0 05:00 ?        00:00:01 /sbin/init\n"
        + "root         200       1  0 05:01 ?        00:00:00 sh -c sleep 30; exit 0\n"
        + "nobody       201     200  0 05:01 ?        00:00:00 sleep 30\n";
    ContainerTop.Listing l = ContainerTop.parse(ps, List.of(200L, 201L), List.of());
    assertThat(l.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    assertThat(l.processes()).extracting(p -> p.get(1) + " " + p.get(7))
        .containsExactly("200 sh -c sleep 30; exit 0", "201 sleep 30");
  }
}
