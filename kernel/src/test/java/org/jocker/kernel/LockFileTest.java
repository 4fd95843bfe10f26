package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
  // Own threads: the common pool may have a single one on a small machine.
  private final ExecutorService pool = Executors.newCachedThreadPool();
  @TempDir Path dir;

  @AfterEach
  void noEntryIsKept() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    assertThat(LockFile.tracked()).as("in-process entries").isZero();
  }

  @Test
  void threadsExcludeEachOther() throws Exception {
    Path file = dir.resolve(".lock");
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      boolean trying = t % 2 == 0;
      threads.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 200; i++) {
          try (LockFile.Held held = trying ? LockFile.tryLock(file).orElse(null) : LockFile.lock(file)) {
            if (held == null) {
              continue;
            }
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            inside.decrementAndGet();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      }, pool));
    }
    CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(most.get()).as("holders at once").isOne();
  }

  @Test
  void theOwningThreadReentersAndOthersWaitForTheOutermostClose() throws Exception {
    Path file = dir.resolve(".lock");
    CompletableFuture<Void> other;
    try (LockFile.Held outer = LockFile.lock(file)) {
      assertThat(outer.outermost()).isTrue();
      other = CompletableFuture.runAsync(() -> {
        try {
          LockFile.lock(file).close();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, pool);
      try (LockFile.Held inner = LockFile.lock(file)) {
        assertThat(inner.outermost()).isFalse();
        assertThat(LockFile.tryLock(file)).as("not free: this thread holds it").isEmpty();
      }
      assertThatThrownBy(() -> other.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }
    other.get(10, TimeUnit.SECONDS); // the waiter gets it once the outermost hold is closed
  }

  @Test
  void anotherThreadMayCloseAHold() throws Exception {
    Path file = dir.resolve(".lock");
    LockFile.Held held = LockFile.lock(file);
    CompletableFuture.runAsync(held::close, pool).get(10, TimeUnit.SECONDS);
    held.close(); // a second close is a no-op
    LockFile.tryLock(file).orElseThrow().close();
  }

  @Test
  void aMissingDirectoryIsNotCreated() {
    assertThatThrownBy(() -> LockFile.lock(dir.resolve("gone/.lock"))).isInstanceOf(NoSuchFileException.class);
    assertThat(dir.resolve("gone")).doesNotExist();
  }

  @Test
  void anotherProcessesRecordLockExcludesUsUntilItExits() throws Exception {
    Path file = dir.resolve(".lock");
    // fcntl.lockf is a POSIX record lock, as FileChannel.lock: they exclude each other.
    Process holder = new ProcessBuilder("python3", "-c", """
        import fcntl, sys
        f = open(sys.argv[1], 'a')
        fcntl.lockf(f, fcntl.LOCK_EX)
        print('held', flush=True)
        sys.stdin.read()
        """, file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      assertThat(LockFile.tryLock(file)).as("held by another process").isEmpty();
      CompletableFuture<LockFile.Held> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return LockFile.lock(file);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, pool);
      assertThatThrownBy(() -> waiting.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      holder.getOutputStream().close(); // the holder exits; the kernel drops its lock
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      waiting.get(10, TimeUnit.SECONDS).close();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void anotherProcessCannotLockWhileWeHold() throws Exception {
    Path file = dir.resolve(".lock");
    try (LockFile.Held held = LockFile.lock(file)) {
      assertThat(tryLockf(file)).as("python lockf while we hold it").isEqualTo(1);
    }
    assertThat(tryLockf(file)).as("python lockf once released").isZero();
  }

  /** 0 if another process could take the record lock, 1 if not. */
  private static int tryLockf(Path file) throws Exception {
    Process p = new ProcessBuilder("python3", "-c", """
        import fcntl, sys
        f = open(sys.argv[1], 'a')
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            sys.exit(1)
        """, file.toString()).inheritIO().start();
    try {
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly().waitFor();
    }
  }
}
