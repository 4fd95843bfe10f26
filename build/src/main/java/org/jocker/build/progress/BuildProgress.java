package org.jocker.build.progress;

import java.io.OutputStream;

/**
 * What a build shows while it runs, in BuildKit's terms: numbered steps ("vertices"), each
 * started, maybe with details and output, then done or failed.
 */
public interface BuildProgress {
  /** A new step named as BuildKit names it ("[internal] load build definition from Dockerfile", "[2/3] RUN ..."). */
  Step start(String name);

  /** The build has ended (after {@link #failed}, or on success): a display that redraws draws its last frame. */
  default void finished() {}

  /** The build failed at {@code step}'s Dockerfile lines (or before any step: null). */
  void failed(String message, FailedAt where);

  /** Where a failure happened: the step's name and the Dockerfile's lines to show. */
  record FailedAt(String step, String file, String dockerfileText, int firstLine, int lastLine) {}

  interface Step {
    /** A line under the step ("transferring context: 2B done"). */
    void detail(String text);

    /** The step's process output (a RUN's), shown line by line. */
    OutputStream output();

    void done();

    /** The step's result came from the build cache (BuildKit's {@code #N CACHED}). */
    void cached();

    void error(String message);
  }
}
