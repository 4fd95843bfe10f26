package org.jocker.images.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A change that takes several file writes, written down before the first one: either an image
 * record to write with the names to point at it ({@code add}, {@code names}), or the ID of an
 * image to remove with every name pointing at it ({@code remove}). Applying it again is
 * harmless, so whoever finds it left behind by a killed writer finishes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Intent(
    @JsonProperty("add") ImageStore.ImageFile add,
    @JsonProperty("names") List<String> names,
    @JsonProperty("remove") String remove) {

  static Intent add(ImageStore.ImageFile record, List<String> names) {
    return new Intent(record, List.copyOf(names), null);
  }

  static Intent remove(String id) {
    return new Intent(null, null, id);
  }
}
