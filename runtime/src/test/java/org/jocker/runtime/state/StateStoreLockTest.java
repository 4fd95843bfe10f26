package org.jocker.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.testing.OtherProcessLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container locks between threads of one JVM (the resident engine runs commands concurrently) and
 * between processes, and what the process keeps of them: nothing once they are released.
 */
class StateStoreLockTest {
  @TempDir Path root;

  @AfterEach
  void nothingIsKept() {
    assertThat(StateStore.trackedLocks()).as("permits and held locks kept by the process").isZero();
  }

  @Test
  void aSecondThreadWaitsForTheLockInsteadOfFailing() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    LockFile.Held first = store.claim("c1");
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<LockFile.Held> second = CompletableFuture.supplyAsync(() -> {
      started.countDown();
      return store.lock("c1");
    });
    started.await();
    Thread.sleep(200);
    assertThat(second).isNotDone();
    StateStore.closeLock(first);
    LockFile.Held got = second.get(10, TimeUnit.SECONDS);
    assertThat(got.outermost()).isTrue();
    StateStore.closeLock(got);
  }

  @Test
  void claimingAnIdAnotherThreadIsCreatingFails() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    LockFile.Held creating = store.claim("c2");
    CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
      try {
        StateStore.closeLock(store.claim("c2"));
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(ContainerExistsException.class);
    StateStore.closeLock(creating);
  }

  @Test
  void locksOfManyIdsLeaveNothingBehind() {
    StateStore store = new StateStore(root, new ObjectMapper());
    for (int i = 0; i < 500; i++) {
      String id = "c" + i;
      StateStore.closeLock(store.claim(id));
      StateStore.closeLock(store.lock(id));
      LockFile.Held held = store.tryLock(id);
      assertThat(store.tryLock(id)).as("held by this process").isNull();
      StateStore.closeLock(held);
    }
    assertThat(StateStore.trackedLocks()).isZero();
  }

  @Test
  void contendingThreadsExcludeEachOtherAndLeaveNothingBehind() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    StateStore.closeLock(store.claim("shared"));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger turns = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      boolean trying = t % 2 == 0;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 100; i++) {
          LockFile.Held lock = trying ? store.tryLock("shared") : store.lock("shared");
          if (lock == null) {
            continue;
          }
          if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          turns.incrementAndGet();
          Thread.yield();
          inside.decrementAndGet();
          StateStore.closeLock(lock);
        }
      }));
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(overlaps).hasValue(0);
    assertThat(turns.get()).isGreaterThanOrEqualTo(400); // every waiting lock got its turns
    assertThat(StateStore.trackedLocks()).isZero();
  }

  @Test
  void anotherProcessIsExcludedAndExcludes() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    Path file = root.resolve("c3/.lock");
    LockFile.Held ours = store.claim("c3");
    // a record lock: another process's lockf waits for it, and its flock would not
    assertThat(OtherProcessLock.probe(file)).isEqualTo("lockf busy\nflock free\n");
    StateStore.closeLock(ours);
    assertThat(OtherProcessLock.probe(file)).startsWith("lockf free\n");

    try (OtherProcessLock theirs = OtherProcessLock.hold(file)) {
      assertThat(store.tryLock("c3")).isNull();
      assertThat(StateStore.trackedLocks()).as("a failed tryLock keeps nothing").isZero();
      CompletableFuture<LockFile.Held> waiting = CompletableFuture.supplyAsync(() -> store.lock("c3"));
      Thread.sleep(300);
      assertThat(waiting).isNotDone();
      theirs.close();
      StateStore.closeLock(waiting.get(10, TimeUnit.SECONDS));
    }
  }
}
