package org.jocker.cli.builder;

import java.time.Instant;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.engine.logs.Since;
import org.jocker.engine.spec.HostConfigParser;
import org.jocker.images.BuildCachePruner;

/** `builder prune`'s flags as a pruner request: {@code --filter until=...} (the only filter yet), {@code --keep-storage}. */
final class BuildCachePruneRequest {
  private BuildCachePruneRequest() {}

  static BuildCachePruner.Request of(boolean all, List<String> filters, String keepStorage) {
    Instant until = null;
    for (String filter : filters) {
      String[] kv = filter.split("=", 2);
      if (kv.length != 2 || !kv[0].equals("until")) {
        throw EngineException.invalidArgument("invalid filter '" + filter + "' (only until= is supported)");
      }
      try {
        until = Since.parse(kv[1], Instant.now());
      } catch (IllegalArgumentException e) {
        throw EngineException.invalidArgument("failed to parse value for until filter: \"" + kv[1] + "\"");
      }
    }
    Long keep = HostConfigParser.size("--keep-storage", keepStorage);
    return new BuildCachePruner.Request(all, until, keep == null ? -1 : keep);
  }
}
