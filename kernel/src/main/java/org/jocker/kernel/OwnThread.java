package org.jocker.kernel;

import java.util.function.Supplier;

/**
 * Runs work on a new platform thread and waits for it: for calls that change what belongs to the
 * calling thread (its working directory after unshare(CLONE_FS), its network namespace after
 * setns), so that no other thread of the JVM is ever changed. The thread ends with the work and
 * takes the change with it; the work's failure is rethrown to the caller.
 */
public final class OwnThread {
  private OwnThread() {}

  public static <T> T call(String name, Supplier<T> work) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread thread = Thread.ofPlatform().daemon().name(name).start(() -> {
      try {
        result[0] = work.get();
      } catch (RuntimeException | Error e) {
        failure[0] = e;
      }
    });
    joinUninterruptibly(thread); // the work is short, and must not outlive its caller's view of it
    switch (failure[0]) {
      case null -> { }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(failure[0]);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
