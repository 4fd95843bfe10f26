package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
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
