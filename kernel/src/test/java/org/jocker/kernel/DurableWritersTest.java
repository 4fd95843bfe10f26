package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers of one file, in threads and in processes, while a reader checks every version it sees. */
class DurableWritersTest {
  private static final int SIZE = 256 * 1024; // several write(2) calls: a torn file would show
  private static final int ROUNDS = 40;

  @TempDir Path dir;

  @Test
  void threadsAndProcessesNeverLeaveATornOrMixedFile() throws Exception {
    Path target = dir.resolve("state.json");
    Durable.write(target, version('a'));
    AtomicBoolean done = new AtomicBoolean();
    // Own threads: the common pool may have a single one on a small machine.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      run(target, done, pool);
    } finally {
      done.set(true);
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void run(Path target, AtomicBoolean done, ExecutorService pool) throws Exception {
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> readUntil(target, done), pool);

    List<Process> processes = new ArrayList<>();
    for (char c : new char[] {'p', 'q'}) {
      processes.add(new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
          Writer.class.getName(), target.toString(), String.valueOf(c)).inheritIO().start());
    }
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (char c : new char[] {'x', 'y', 'z'}) {
      threads.add(CompletableFuture.runAsync(() -> Writer.write(target, c), pool));
    }
    CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    try {
      for (Process p : processes) {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("writer process ended").isTrue();
        assertThat(p.exitValue()).as("writer process exit").isZero();
      }
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
    done.set(true);

    assertThat(reader.get(10, TimeUnit.SECONDS)).as("whole versions read").isPositive();
    assertWhole(Files.readAllBytes(target));
    try (var names = Files.list(dir)) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }

  private static int readUntil(Path target, AtomicBoolean done) {
    int seen = 0;
    while (!done.get()) {
      try {
        assertWhole(Files.readAllBytes(target));
        seen++;
      } catch (NoSuchFileException e) {
        throw new AssertionError("the target vanished during a rename", e);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return seen;
  }

  private static void assertWhole(byte[] content) {
    assertThat(content).hasSize(SIZE);
    byte first = content[0];
    for (byte b : content) {
      if (b != first) {
        throw new AssertionError("mixed file: " + (char) first + " and " + (char) b);
      }
    }
  }

  static byte[] version(char c) {
    byte[] bytes = new byte[SIZE];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** A writer in its own process: {@code main(target, letter)}. */
  public static final class Writer {
    public static void main(String[] args) {
      write(Path.of(args[0]), args[1].charAt(0));
    }

    static void write(Path target, char c) {
      for (int i = 0; i < ROUNDS; i++) {
        Durable.writeUnchecked(target, version(c));
      }
    }
  }
}
