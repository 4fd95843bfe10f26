package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {
  @TempDir Path dir;

  @Test
  void aWriteLeavesOnlyItsTarget() throws IOException {
    Durable.write(dir.resolve("refs.json"), "{}".getBytes());
    Durable.write(dir.resolve("refs.json"), "{\"a\":\"b\"}".getBytes());
    assertThat(names()).containsExactly("refs.json");
    assertThat(Files.readString(dir.resolve("refs.json"))).isEqualTo("{\"a\":\"b\"}");
  }

  @Test
  void onlyTheTempFilesOfDeadWritersAreRemoved() throws IOException {
    // A dead writer (pid above pid_max), a reused pid (ours, another start time), an old-style name.
    for (String name : List.of(".refs.json.4194305-12345-ab.tmp", ".x.json." + ProcessHandle.current().pid()
        + "-1-cd.tmp", ".refs.json.0123456789abcdef.tmp")) {
      Files.writeString(dir.resolve(name), "half");
    }
    String live = ".refs.json." + ProcessStamp.current() + "-ef.tmp";
    Files.writeString(dir.resolve(live), "in progress");
    Files.writeString(dir.resolve("refs.json"), "{}");
    Files.writeString(dir.resolve("notes.tmp"), "not ours: no leading dot");

    assertThat(Durable.removeDeadTemps(dir)).isEqualTo(3);
    assertThat(names()).containsExactlyInAnyOrder(live, "refs.json", "notes.tmp");
    assertThat(Durable.removeDeadTemps(dir.resolve("absent"))).isZero();
  }

  @Test
  void aWritersTempIsKeptWhileItRunsAndRemovedOnceItIsKilled() throws Exception {
    Process writer = new ProcessBuilder("sleep", "60").start();
    try {
      Path temp = dir.resolve(".refs.json." + ProcessStamp.of(writer.toHandle()) + "-ab.tmp");
      Files.writeString(temp, "half written");
      assertThat(Durable.removeDeadTemps(dir)).as("writer alive").isZero();
      assertThat(temp).exists();
      writer.destroyForcibly().waitFor();
      assertThat(Durable.removeDeadTemps(dir)).as("writer killed").isOne();
      assertThat(temp).doesNotExist();
    } finally {
      writer.destroyForcibly().waitFor();
    }
  }

  @Test
  void processStamps() {
    assertThat(ProcessStamp.isGone(ProcessStamp.current())).isFalse();
    assertThat(ProcessStamp.isGone("4194305-12345")).isTrue();
    assertThat(ProcessStamp.isGone("1-2-3")).isTrue();
    assertThat(ProcessStamp.isGone("garbage")).isTrue();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
