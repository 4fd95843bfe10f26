package org.jocker.images.archive;

import java.util.List;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;

/** An image a load registered: its ID (config digest) and the names now pointing at it. */
public record LoadedImage(Digest id, List<Reference> references) {
  public LoadedImage {
    references = List.copyOf(references);
  }

  /** What docker load prints for it: one line per name, or the ID when it has none. */
  public List<String> messages() {
    if (references.isEmpty()) {
      return List.of("Loaded image ID: " + id);
    }
    return references.stream().map(r -> "Loaded image: " + r.familiar()).toList();
  }
}
