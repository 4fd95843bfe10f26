package org.jocker.build.executor;

import java.time.Instant;
import java.util.Optional;
import org.jocker.images.LayerStack;

/**
 * The seam for the build cache: a filesystem step looks its key up before it runs and, when it
 * ran, records what it made. {@link #NONE} finds nothing and keeps nothing; {@link ContentCache}
 * is the content-addressed one.
 */
public interface StepCache {
  StepCache NONE = new StepCache() {
    @Override
    public Optional<Hit> lookup(StepKey key) {
      return Optional.empty();
    }

    @Override
    public void record(StepKey key, LayerStack result, Instant created) {}
  };

  /** A reused step: the stack it left and when it first ran (its history entry's time). */
  record Hit(LayerStack stack, Instant created) {}

  Optional<Hit> lookup(StepKey key);

  void record(StepKey key, LayerStack result, Instant created);
}
