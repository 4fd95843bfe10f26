package org.jocker.build.executor;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes a filesystem step's result reusable: the stack it starts from (its chain ID, empty
 * for none), the instruction as expanded, the build args in scope, and for COPY/ADD the sources it
 * copies (context paths with the digest of their content, or the stage's chain ID).
 */
public record StepKey(String parentChainId, String instruction, Map<String, String> args, List<String> sources) {
  public StepKey {
    args = Map.copyOf(args);
    sources = List.copyOf(sources);
  }

  /** The key as the cache stores it: sha256 of every part, each length-prefixed so none can run into the next. */
  public String digest() {
    MessageDigest sha = ContentDigests.sha256();
    ContentDigests.update(sha, "jocker-build-cache-v1");
    ContentDigests.update(sha, parentChainId);
    ContentDigests.update(sha, instruction);
    new TreeMap<>(args).forEach((k, v) -> {
      ContentDigests.update(sha, k);
      ContentDigests.update(sha, v);
    });
    ContentDigests.update(sha, "sources");
    sources.forEach(s -> ContentDigests.update(sha, s));
    return HexFormat.of().formatHex(sha.digest());
  }
}
