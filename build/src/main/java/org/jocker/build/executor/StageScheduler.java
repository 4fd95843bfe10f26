package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jocker.build.stage.Stage;

/**
 * Builds the stages a target needs as BuildKit does: each as soon as the stages it starts from or
 * copies from are built, so independent stages build at the same time (each on a thread of its
 * own, which inherits the caller's session). The first failure stops the others ({@code
 * onFailure}: their running RUN is killed, no new step starts) and is the one thrown.
 */
final class StageScheduler {
  private StageScheduler() {}

  static Map<Integer, StageState.BuiltStage> run(List<Stage> needed,
      Function<Stage, StageState.BuiltStage> build, Runnable onFailure) {
    Map<Integer, StageState.BuiltStage> built = new ConcurrentHashMap<>();
    Map<Integer, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    AtomicReference<RuntimeException> first = new AtomicReference<>();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("build-stage-", 0)
        .factory())) {
      for (Stage stage : needed) { // file order: what a stage depends on comes before it
        CompletableFuture<?>[] before = stage.dependsOn().stream().map(done::get).toArray(CompletableFuture[]::new);
        done.put(stage.index(), CompletableFuture.allOf(before).thenRunAsync(() -> {
          try {
            built.put(stage.index(), build.apply(stage));
          } catch (RuntimeException e) {
            if (first.compareAndSet(null, e)) {
              onFailure.run();
            }
            throw e;
          }
        }, threads));
      }
      List<CompletableFuture<Void>> all = new ArrayList<>(done.values());
      for (CompletableFuture<Void> f : all) {
        try {
          f.join();
        } catch (CompletionException e) {
          // the first failure is thrown below; the others are its consequences
        }
      }
    }
    if (first.get() != null) {
      throw first.get();
    }
    return built;
  }
}
