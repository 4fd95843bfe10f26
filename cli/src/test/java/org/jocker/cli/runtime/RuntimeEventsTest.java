package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Test;

/** `runtime events` as runc's: JSON lines {"type":"stats"|"oom","id":ID[,"data":{...}]}. */
class RuntimeEventsTest extends RuntimeCliTestBase {

  @Test
  void statsPrintsOneObjectAndExits() throws Exception {
    cli.runSleeping("e1");
    Jocker.Result r = cli.runtime("events", "--stats", "e1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("{\"type\":\"stats\",\"id\":\"e1\",\"data\":{").hasLineCount(1);
    JsonNode data = RuntimeCli.JSON.readTree(r.out()).get("data");
    assertThat(data.at("/memory/usage/usage").asLong()).isPositive();
    assertThat(data.at("/cpu/usage/total").asLong()).isPositive();
    assertThat(data.at("/pids/current").asInt()).isEqualTo(1);
  }

  /**
   * runc's blkio and hugetlb parts: what the container wrote with O_DIRECT to a host directory
   * (block I/O counted as submitted, whatever the cgroup version), and its huge page sizes once it
   * has a limit on one (cgroup2 turns hugetlb on for such containers only).
   */
  @Test
  void statsHaveBlockIoAndHugePages() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    long dev = (long) Files.getAttribute(data, "unix:dev");
    assumeTrue(((dev >> 8) & 0xfff) != 0, "the temp directory is not on a block device");
    List<String> sizes = hostHugePageSizes();
    Path bundle = cli.bundle("e5", List.of("sh", "-c", "dd if=/dev/zero of=/data/f bs=4096 count=256 oflag=direct"
        + " 2>/dev/null && touch /data/done; sleep 600"), config -> {
          ObjectNode bind = ((ArrayNode) config.get("mounts")).addObject();
          bind.put("destination", "/data").put("type", "bind").put("source", data.toString());
          bind.putArray("options").add("rbind").add("rw");
          if (!sizes.isEmpty()) {
            ObjectNode resources = ((ObjectNode) config.get("linux")).with("resources");
            resources.putArray("hugepageLimits").addObject().put("pageSize", sizes.get(0)).put("limit", 1L << 30);
          }
        });
    cli.runDetached("e5", bundle);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(data.resolve("done"))) {
      assertThat(System.nanoTime()).as("the container's write ended").isLessThan(deadline);
      Thread.sleep(50);
    }
    Jocker.Result r = cli.runtime("events", "--stats", "e5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode data5 = RuntimeCli.JSON.readTree(r.out()).get("data");
    long written = 0;
    for (JsonNode e : data5.at("/blkio/ioServiceBytesRecursive")) {
      if (e.get("op").asText().equals("Write")) {
        written += e.get("value").asLong();
        assertThat(e.get("major").asInt()).isPositive();
      }
    }
    assertThat(written).as(r.out()).isGreaterThanOrEqualTo(1 << 20);
    assertThat(data5.at("/blkio/ioServicedRecursive").size()).isPositive();
    if (!sizes.isEmpty()) {
      assertThat(data5.at("/hugetlb").has(sizes.get(0))).as(r.out()).isTrue();
    }
  }

  /** The host's huge page sizes as hugetlb files name them ("2MB"), if it has the controller. */
  private static List<String> hostHugePageSizes() throws IOException {
    boolean controller = Files.readString(Path.of("/proc/cgroups")).contains("hugetlb");
    Path sysfs = Path.of("/sys/kernel/mm/hugepages");
    if (!controller || !Files.isDirectory(sysfs)) {
      return List.of();
    }
    try (var dirs = Files.list(sysfs)) {
      return dirs.map(d -> d.getFileName().toString().replaceAll("hugepages-(\\d+)kB", "$1")).map(Long::parseLong)
          .sorted().map(kb -> kb >= 1 << 20 ? (kb >> 20) + "GB" : (kb >> 10) + "MB").toList();
    }
  }

  /** As runc's events test: a line per interval, until the container is deleted; then it exits 0. */
  @Test
  void eventsEveryIntervalUntilTheContainerIsDeleted() throws Exception {
    cli.runSleeping("e2");
    Process events = new ProcessBuilder(RuntimeWrapper.write(tmp, cli.stateRoot()).toString(), "events",
        "--interval", "300ms", "e2").redirectError(tmp.resolve("events.err").toFile()).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 2; i++) {
        lines.add(out.readLine());
      }
      assertThat(cli.runtime("delete", "--force", "e2").code()).isZero();
      assertThat(events.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      events.destroyForcibly();
    }
    assertThat(events.exitValue()).isZero();
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"stats\",\"id\":\"e2\",\"data\":{"));
    assertThat(Files.readString(tmp.resolve("events.err"))).isEmpty();
  }

  /** As runc's "events oom": a memory hog in a container with no room to swap. */
  @Test
  void anOomKillIsAnEvent() throws Exception {
    CgroupFiles files = new CgroupFiles();
    files.hierarchy("memory");
    boolean swapAccounted = files.swapAccounting().orElse(false);
    assumeTrue(swapAccounted || Files.readAllLines(Path.of("/proc/swaps")).size() <= 1, "swap it cannot limit");
    Path bundle = cli.bundle("oom", List.of("sleep", "600"), config -> {
      ObjectNode memory = ((ObjectNode) config.get("linux")).putObject("resources").putObject("memory");
      memory.put("limit", 32L << 20);
      if (swapAccounted) {
        memory.put("swap", 32L << 20);
      }
    });
    cli.runDetached("e3", bundle);
    Process events = new ProcessBuilder(RuntimeWrapper.write(tmp, cli.stateRoot()).toString(), "events", "e3")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
      Thread.sleep(2000); // the JVM starts and reads the count before the hog runs
      assertThat(cli.runtime("exec", "-d", "e3", "sh", "-c", "test=$(dd if=/dev/urandom ibs=5120k)").code()).isZero();
      List<String> lines = new ArrayList<>();
      for (String line = out.readLine(); line != null && lines.size() < 10; line = out.readLine()) {
        lines.add(line); // stats every 5 s meanwhile
        if (line.contains("oom")) {
          break;
        }
      }
      assertThat(lines).contains("{\"type\":\"oom\",\"id\":\"e3\"}");
    } finally {
      cli.runtime("delete", "--force", "e3");
      assertThat(events.waitFor(10, TimeUnit.SECONDS)).isTrue();
      events.destroyForcibly();
    }
  }

  @Test
  void errorsAsRunc() throws Exception {
    cli.runSleeping("e4");
    cli.fails("duration interval must be greater than 0", "events", "--interval", "0s", "e4");
    cli.fails("invalid value \"1\" for flag -interval: parse error", "events", "--interval", "1", "e4");
    assertThat(cli.runtime("kill", "e4", "KILL").code()).isZero();
    cli.awaitStatus("e4", "stopped");
    cli.fails("container with id e4 is not running", "events", "--stats", "e4");
    assertThat(cli.runtime("events", "nope").err()).contains("\"nope\" does not exist");
  }

  @Test
  void goDurations() {
    assertThat(GoDuration.parse("5s").toMillis()).isEqualTo(5000);
    assertThat(GoDuration.parse("1m30s").toSeconds()).isEqualTo(90);
    assertThat(GoDuration.parse("1.5h").toMinutes()).isEqualTo(90);
    assertThat(GoDuration.parse("300ms").toMillis()).isEqualTo(300);
    assertThat(GoDuration.parse("2us").toNanos()).isEqualTo(2000);
    assertThat(GoDuration.parse("0").isZero()).isTrue();
    assertThat(GoDuration.parse("-1s").isNegative()).isTrue();
    for (String bad : List.of("1", "", "s", "1x", "1s2", "1..5s")) {
      assertThatThrownBy(() -> GoDuration.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
