package org.jocker.images.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jocker.images.ImageException;

/**
 * Runs tasks a few at a time on daemon threads of their own (a pull's downloads, a push's uploads)
 * and waits for all. The first failure is thrown as the task threw it and stops those still
 * running.
 */
public final class BoundedParallel {
  private BoundedParallel() {}

  /**
   * @param name what the tasks are part of ({@code pull}): the threads' name and the errors' first word
   * @param limit how many tasks run at a time
   */
  public static void runAll(String name, int limit, List<Runnable> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(limit, tasks.size()),
        Thread.ofPlatform().name(name).daemon().factory());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable task : tasks) {
        running.add(pool.submit(task));
      }
      for (Future<?> f : running) {
        await(name, f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(String name, Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new ImageException(name + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException(name + " interrupted", e);
    }
  }
}
