package org.jocker.build.executor;

import java.util.Optional;
import org.jocker.images.LayerStack;

/**
 * The seam for the build cache: a filesystem step looks its key up before it runs and, when it
 * ran, records what it made. {@link #NONE} (today's) finds nothing and keeps nothing.
 */
public interface StepCache {
  StepCache NONE = new StepCache() {
    @Override
    public Optional<LayerStack> lookup(StepKey key) {
      return Optional.empty();
    }

    @Override
    public void record(StepKey key, LayerStack result) {}
  };

  Optional<LayerStack> lookup(StepKey key);

  void record(StepKey key, LayerStack result);
}
