package org.jocker.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocker.runtime.testing.OtherProcessLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's lock excludes other threads and other processes, is reentrant for its holder, and
 * leaves nothing in the (long-lived) process once closed.
 */
class ContainerLockTest {
  @TempDir Path tmp;

  @AfterEach
  void nothingIsKept() {
    assertThat(ContainerLock.tracked()).as("entries kept by the process").isZero();
  }

  private Path container(String id) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(id));
    Files.writeString(dir.resolve("container.json"), "{}");
    return dir;
  }

  @Test
  void locksOfManyContainersLeaveNothingBehind() throws Exception {
    for (int i = 0; i < 500; i++) {
      Path dir = container("c" + i);
      try (ContainerLock outer = ContainerLock.of(dir, "c" + i);
           ContainerLock inner = ContainerLock.of(dir, "c" + i)) {
        assertThat(ContainerLock.tracked()).isOne();
      }
    }
    assertThat(ContainerLock.ifPresent(tmp.resolve("gone"))).isEmpty();
    Path removed = container("removed");
    Files.delete(removed.resolve("container.json"));
    assertThat(ContainerLock.ifPresent(removed)).isEmpty();
    assertThat(ContainerLock.tracked()).isZero();
  }

  @Test
  void contendingThreadsExcludeEachOtherAndLeaveNothingBehind() throws Exception {
    Path dir = container("shared");
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger turns = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 100; i++) {
          try (ContainerLock lock = ContainerLock.of(dir, "shared")) {
            if (inside.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            turns.incrementAndGet();
            Thread.yield();
            inside.decrementAndGet();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(overlaps).hasValue(0);
    assertThat(turns).hasValue(800);
    assertThat(ContainerLock.tracked()).isZero();
  }

  @Test
  void anotherProcessIsExcludedAndExcludesAndReentryKeepsTheFileLock() throws Exception {
    Path dir = container("c");
    Path file = dir.resolve(".lock");
    try (ContainerLock outer = ContainerLock.of(dir, "c")) {
      try (ContainerLock inner = ContainerLock.of(dir, "c")) {
        assertThat(OtherProcessLock.probe(file)).isEqualTo("lockf busy\nflock free\n");
      }
      assertThat(OtherProcessLock.probe(file)).as("still held by the outer holder").startsWith("lockf busy\n");
    }
    assertThat(OtherProcessLock.probe(file)).startsWith("lockf free\n");

    try (OtherProcessLock theirs = OtherProcessLock.hold(file)) {
      // a ContainerLock is closed by the thread that took it
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> ContainerLock.of(dir, "c").close());
      Thread.sleep(300);
      assertThat(waiting).isNotDone();
      theirs.close();
      waiting.get(10, TimeUnit.SECONDS);
    }
  }
}
