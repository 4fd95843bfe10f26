package org.jocker.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container locks between threads of one JVM (the resident engine runs commands concurrently). */
class StateStoreLockTest {
  @TempDir Path root;

  @Test
  void aSecondThreadWaitsForTheLockInsteadOfFailing() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    FileLock first = store.claim("c1");
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<FileLock> second = CompletableFuture.supplyAsync(() -> {
      started.countDown();
      return store.lock("c1");
    });
    started.await();
    Thread.sleep(200);
    assertThat(second).isNotDone();
    StateStore.closeLock(first);
    FileLock got = second.get(10, TimeUnit.SECONDS);
    assertThat(got.isValid()).isTrue();
    StateStore.closeLock(got);
  }

  @Test
  void claimingAnIdAnotherThreadIsCreatingFails() throws Exception {
    StateStore store = new StateStore(root, new ObjectMapper());
    FileLock creating = store.claim("c2");
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
}
