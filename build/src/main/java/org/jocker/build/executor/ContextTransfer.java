package org.jocker.build.executor;

import org.jocker.build.progress.BuildProgress;

/**
 * BuildKit's "[internal] load build context" step, shown once, before the first COPY from the
 * context (the context is read in place, not sent: the step lists it).
 */
final class ContextTransfer {
  private boolean shown;

  synchronized void show(ContextTree context, BuildProgress progress) {
    if (shown) {
      return;
    }
    shown = true;
    BuildProgress.Step step = progress.start("[internal] load build context");
    step.detail("transferring context: " + Sizes.human(context.size()) + " done");
    step.done();
  }
}
