package org.jocker.build.executor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.jocker.images.LayerStack;
import org.jocker.images.snapshot.Mount;

/**
 * What RUN, COPY, ADD and WORKDIR share: look the step's key up in the cache; else a writable
 * snapshot on the stage's layers, the step's work on it, and its changes committed as the next
 * layer (none when nothing changed), recorded in the cache just before. The snapshot is dropped
 * when the work fails.
 */
final class FilesystemStep {
  private FilesystemStep() {}

  /**
   * The result of a step: the stack after it, whether it added a layer, whether it came from the
   * cache, and when it was made (its history entry's time, the first run's for a cached step).
   */
  record Result(LayerStack stack, boolean addedLayer, boolean cached, Instant created) {}

  /**
   * @param work does the step on the snapshot's mount; returns the mount points its RUN's mounts
   *     made (removed from the layer when empty)
   */
  static Result apply(BuildSession session, StageState state, StepKey key, Function<Mount, List<String>> work) {
    LayerStack parent = state.stack;
    var cached = session.cache().lookup(key);
    if (cached.isPresent()) {
      LayerStack stack = cached.get().stack();
      return new Result(stack, stack.layers().size() > parent.layers().size(), true, cached.get().created());
    }
    String snapshot = session.newSnapshotKey();
    Mount mount = session.layers().prepare(snapshot, parent);
    LayerStack after;
    Instant created;
    try {
      List<String> stubs = work.apply(mount);
      if (!stubs.isEmpty()) {
        session.layers().removeMountStubs(snapshot, stubs);
      }
      created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      // Recorded before the snapshot is committed: see ImageBuild.commit.
      after = session.layers().commit(snapshot, parent, stack -> session.cache().record(key, stack, created))
          .orElse(parent);
    } catch (RuntimeException e) {
      session.layers().discard(snapshot);
      throw e;
    }
    return new Result(after, after != parent, false, created);
  }
}
