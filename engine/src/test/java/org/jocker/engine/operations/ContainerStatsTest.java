package org.jocker.engine.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of ps output, without a container. */
class ContainerStatsTest {
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
