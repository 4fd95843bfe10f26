package org.jocker.images.gc;

import java.util.List;
import org.jocker.images.digest.Digest;

/** What a collection did: the blobs it deleted, the bytes that freed, and how many it kept. */
public record GcResult(List<Digest> removed, long bytesFreed, int kept) {
  public GcResult {
    removed = List.copyOf(removed);
  }
}
