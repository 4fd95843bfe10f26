package org.jocker.build.executor;

import java.util.function.Function;
import org.jocker.images.LayerStack;
import org.jocker.images.snapshot.Mount;

/**
 * What RUN, COPY, ADD and WORKDIR share: look the step's key up in the cache; else a writable
 * snapshot on the stage's layers, the step's work on it, and its changes committed as the next
 * layer (none when nothing changed). The snapshot is dropped when the work fails.
 */
final class FilesystemStep {
  private FilesystemStep() {}

  /** The result of a step: the stack after it, and whether it added a layer. */
  record Result(LayerStack stack, boolean addedLayer) {}

  /** @param work does the step on the snapshot's mount (given its snapshot key) */
  static Result apply(BuildSession session, StageState state, StepKey key, Function<Mount, Void> work) {
    LayerStack parent = state.stack;
    var cached = session.cache().lookup(key);
    if (cached.isPresent()) {
      return new Result(cached.get(), cached.get().layers().size() > parent.layers().size());
    }
    String snapshot = session.newSnapshotKey();
    Mount mount = session.layers().prepare(snapshot, parent);
    LayerStack after;
    try {
      work.apply(mount);
      after = session.layers().commit(snapshot, parent).orElse(parent);
    } catch (RuntimeException e) {
      session.layers().discard(snapshot);
      throw e;
    }
    session.cache().record(key, after);
    return new Result(after, after != parent);
  }
}
