package org.jocker.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.engine.container.ContainerFilter;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.lifecycle.ContainerRemoval;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.images.store.Image;

/** `ps` and its filters (`container prune --filter` lists the same way). */
final class ContainerListing {
  private final ImageService images;
  private final ContainerStore containers;
  private final ContainerStates states;
  private final ContainerRemoval removal;

  ContainerListing(ImageService images, ContainerStore containers, ContainerStates states, ContainerRemoval removal) {
    this.images = images;
    this.containers = containers;
    this.states = states;
    this.removal = removal;
  }

  /** The containers that pass the filter, newest first (a status filter implies all). */
  List<ContainerView> list(boolean all, ContainerFilter filter) {
    Instant before = filter.get("before").stream().map(c -> Instant.parse(containers.get(c).created()))
        .reduce((a, b) -> a.isBefore(b) ? a : b).orElse(null);
    Instant since = filter.get("since").stream().map(c -> Instant.parse(containers.get(c).created()))
        .reduce((a, b) -> a.isAfter(b) ? a : b).orElse(null);
    List<List<String>> ancestors = new ArrayList<>();
    for (String ref : filter.get("ancestor")) {
      try {
        ancestors.add(layers(images.catalog().resolve(ref)));
      } catch (RuntimeException e) {
        // Docker: an unknown image matches no container
      }
    }
    containers.ifNoChangeInProgress(removal::removeLeftovers);
    boolean stopped = all || filter.showsStopped();
    List<ContainerView> out = new ArrayList<>();
    for (ContainerRecord r : containers.list()) {
      ContainerView v = states.view(r);
      boolean active = v.state().equals("running") || v.state().equals("paused") || v.state().equals("restarting");
      if (!stopped && !active) {
        continue;
      }
      if (filter == ContainerFilter.NONE || filter.matches(candidate(r, v, filter), before, since, ancestors)) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparing(ContainerView::created).reversed());
    return out;
  }

  /** What the filter looks at; the image's labels and layers only when it asks for them. */
  private ContainerFilter.Candidate candidate(ContainerRecord r, ContainerView v, ContainerFilter filter) {
    Optional<Image> image = Optional.empty();
    if (filter.has("label") || filter.has("label!") || filter.has("ancestor")) {
      try {
        image = images.catalog().find(Digest.parse(r.image()));
      } catch (RuntimeException e) {
        // its image is gone: only the container's own labels
      }
    }
    Map<String, String> labels = new HashMap<>();
    image.map(i -> images.config(i).value().config()).filter(c -> c != null && c.labels() != null)
        .ifPresent(c -> labels.putAll(c.labels()));
    labels.putAll(r.labels());
    return new ContainerFilter.Candidate(r, v, labels, image.map(this::layers).orElse(List.of()));
  }

  private List<String> layers(Image image) {
    return images.config(image).value().diffIds().stream().map(Object::toString).toList();
  }
}
