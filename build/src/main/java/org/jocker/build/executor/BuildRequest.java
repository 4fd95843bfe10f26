package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.engine.lifecycle.RunNetwork;

/**
 * What `jocker build` was asked for.
 *
 * @param context the context directory
 * @param dockerfileName the Dockerfile's name in messages ("Dockerfile", or the -f path)
 * @param dockerfilePath where the Dockerfile is (its NAME.dockerignore is beside it); null when it came on stdin
 * @param dockerfileText the Dockerfile's text
 * @param buildArgs --build-arg values
 * @param target --target, or null for the last stage
 * @param labels --label, added to the image's config
 * @param tags -t names, as given
 * @param noCache --no-cache: no step is looked up in the build cache
 * @param secrets --secret values by id, for RUN --mount=type=secret (never stored)
 * @param network --network: the network of the RUN steps without a --network of their own
 */
public record BuildRequest(
    Path context,
    String dockerfileName,
    Path dockerfilePath,
    String dockerfileText,
    Map<String, String> buildArgs,
    String target,
    Map<String, String> labels,
    List<String> tags,
    boolean noCache,
    Map<String, byte[]> secrets,
    RunNetwork network) {
  public BuildRequest {
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
    tags = List.copyOf(tags);
    secrets = Map.copyOf(secrets);
  }
}
