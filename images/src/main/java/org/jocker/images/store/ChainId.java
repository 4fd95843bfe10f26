package org.jocker.images.store;

import java.util.ArrayList;
import java.util.List;
import org.jocker.images.digest.Digest;

/**
 * OCI chain IDs: the identity of a stack of layers, so one snapshot serves every image that
 * shares that stack. chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " +
 * diffID(Ln)).
 */
public final class ChainId {
  private ChainId() {}

  /** The chain ID of every prefix of {@code diffIds}, base first. */
  public static List<Digest> chain(List<Digest> diffIds) {
    List<Digest> result = new ArrayList<>(diffIds.size());
    Digest previous = null;
    for (Digest diffId : diffIds) {
      previous = previous == null ? diffId : Digest.sha256(previous + " " + diffId);
      result.add(previous);
    }
    return List.copyOf(result);
  }

  /** The chain ID of the whole stack; the error says there is none for no layers. */
  public static Digest of(List<Digest> diffIds) {
    if (diffIds.isEmpty()) {
      throw new IllegalArgumentException("an empty layer stack has no chain ID");
    }
    List<Digest> chain = chain(diffIds);
    return chain.get(chain.size() - 1);
  }
}
