package org.jocker.build.executor;

import java.util.List;
import java.util.Map;

/**
 * What makes a filesystem step's result reusable: the stack it starts from (its chain ID, empty
 * for none), the instruction as expanded, the build args in scope, and for COPY/ADD the sources it
 * copies (context paths, or the stage's chain ID; their content digest is the cache's to add).
 */
public record StepKey(String parentChainId, String instruction, Map<String, String> args, List<String> sources) {
  public StepKey {
    args = Map.copyOf(args);
    sources = List.copyOf(sources);
  }
}
