package org.jocker.build.executor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocker.build.dockerfile.Dockerfile;
import org.jocker.build.progress.BuildProgress;
import org.jocker.engine.lifecycle.BuildSandbox;
import org.jocker.engine.lifecycle.RunNetwork;
import org.jocker.images.ImageBuild;
import org.jocker.images.ImageService;
import org.jocker.images.manifest.ImageConfig;

/**
 * What every step of one build uses: the images, the layers, the sandbox, the context, the output,
 * the RUN steps' network unless they ask for one.
 */
record BuildSession(
    Dockerfile dockerfile,
    String dockerfileText,
    Map<String, String> buildArgs,
    Map<String, byte[]> secrets,
    RunNetwork network,
    ImageService images,
    ImageBuild layers,
    BuildSandbox sandbox,
    ContextTree context,
    BuildProgress progress,
    StepCache cache,
    BaseImagePuller puller,
    ContextTransfer contextTransfer,
    AtomicInteger keys) {

  /** A new snapshot key of this build (removed with its sandbox if the build leaves it). */
  String newSnapshotKey() {
    return sandbox.snapshotKey(String.valueOf(keys.incrementAndGet()));
  }

  /** A history entry made now. */
  static ImageConfig.History history(String createdBy, boolean emptyLayer) {
    return history(createdBy, emptyLayer, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /** A history entry made at {@code created} (a cached step's: when it first ran). */
  static ImageConfig.History history(String createdBy, boolean emptyLayer, Instant created) {
    return new ImageConfig.History(created.toString(), createdBy, null,
        "buildkit.dockerfile.v0", emptyLayer ? Boolean.TRUE : null);
  }
}
