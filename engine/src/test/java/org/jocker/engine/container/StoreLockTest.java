package org.jocker.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  @TempDir Path tmp;

  @Test
  void reentrantForItsHolderAndNeverFreeForItsHolder() {
    StoreLock lock = new StoreLock(tmp.resolve("containers/.lock"));
    assertThat(lock.ifFree(() -> {})).isTrue();
    String inner = lock.locked(() -> lock.locked(() -> {
      assertThat(lock.ifFree(() -> {})).as("its own change in progress").isFalse();
      return "inner";
    }));
    assertThat(inner).isEqualTo("inner");
    assertThat(lock.ifFree(() -> {})).isTrue();
  }

  @Test
  void anotherThreadWaitsAndIsNotFree() throws Exception {
    StoreLock lock = new StoreLock(tmp.resolve(".lock"));
    StoreLock sameFile = new StoreLock(tmp.resolve(".lock"));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = Thread.ofPlatform().start(() -> lock.locked(() -> {
      held.countDown();
      await(release);
    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sameFile.ifFree(() -> {})).isFalse();
    long[] got = new long[1];
    Thread waiter = Thread.ofPlatform().start(() -> sameFile.locked(() -> {
      got[0] = System.nanoTime();
    }));
    Thread.sleep(200);
    long released = System.nanoTime();
    release.countDown();
    waiter.join(10_000);
    holder.join(10_000);
    assertThat(got[0]).as("the waiter ran after the release").isGreaterThan(released);
    assertThat(sameFile.ifFree(() -> {})).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
