package org.jocker.images.pull;

import java.util.List;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;

/**
 * Unpacks a pull's layers into snapshots while the pull goes on (the facade does it: unpacking
 * is not an operation of its own): each layer is handed in as soon as its blob is stored, and its
 * Extracting and Pull complete are reported.
 */
@FunctionalInterface
public interface LayerUnpacking {
  Unpack begin(String image, List<Descriptor> layers, List<Digest> diffIds, PullProgress progress);

  /** One image's unpack; closing it without {@link #finish} removes what it unpacked. */
  interface Unpack extends AutoCloseable {
    /** Layer {@code index}'s blob is in the store: its unpack may start. */
    void stored(int index);

    /** Unpacks the rest and waits for all, committing the layers' snapshots. */
    void finish();

    @Override
    void close();
  }
}
