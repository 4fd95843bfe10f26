package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `stats` without --no-stream: a new table every second until interrupted or the containers are gone. */
class StatsStreamCliTest extends CliTestBase {
  private Process stats;

  @BeforeEach
  void setUp() {
    jocker.ok("run", "-d", "--name", "busy", "busybox", "sleep", "60");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (stats != null && stats.isAlive()) {
      stats.destroyForcibly();
      stats.waitFor(10, TimeUnit.SECONDS);
    }
    jocker.removeAllContainers();
  }

  /** Reads lines of the running `stats` until {@code frames} tables (header lines) have come, within 20 s. */
  private List<String> frames(BufferedReader out, int frames) throws Exception {
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int headers = 0;
    while (headers < frames || lines.getLast().startsWith("CONTAINER ID")) {
      assertThat(System.nanoTime()).as("%d tables within 20 s: %s", frames, lines).isLessThan(deadline);
      String line = out.readLine();
      assertThat(line).as("output ended: %s", lines).isNotNull();
      lines.add(line);
      if (line.startsWith("CONTAINER ID")) {
        headers++;
      }
    }
    return lines;
  }

  @Test
  void refreshesEverySecondUntilKilled() throws Exception {
    stats = jocker.process("stats").start(); // the running containers
    BufferedReader out = new BufferedReader(new InputStreamReader(stats.getInputStream(), StandardCharsets.UTF_8));
    long start = System.nanoTime();
    List<String> lines = frames(out, 3);
    assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1500)); // a second apart
    // Not a terminal: one table after another, without the escape codes that redraw the screen.
    assertThat(String.join("\n", lines)).doesNotContain("\033[");
    assertThat(lines.stream().filter(l -> l.startsWith("CONTAINER ID")).count()).isEqualTo(3);
    assertThat(lines.stream().filter(l -> l.contains(" busy ")).count()).isEqualTo(3);
    stats.destroy(); // as Ctrl-C
    assertThat(stats.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void endsWhenTheContainersItWasGivenAreRemoved() throws Exception {
    stats = jocker.process("stats", "busy").start();
    BufferedReader out = new BufferedReader(new InputStreamReader(stats.getInputStream(), StandardCharsets.UTF_8));
    assertThat(frames(out, 2)).anyMatch(l -> l.contains(" busy "));
    jocker.ok("rm", "-f", "busy");
    assertThat(stats.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(stats.exitValue()).isZero();
  }
}
