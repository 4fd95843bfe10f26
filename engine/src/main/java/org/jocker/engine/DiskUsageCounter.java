package org.jocker.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.ContainerView;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;

/** `system df`: the images, and the containers' own layers (reclaimable when not running). */
final class DiskUsageCounter {
  private final ImageService images;
  private final ContainerStore containers;

  DiskUsageCounter(ImageService images, ContainerStore containers) {
    this.images = images;
    this.containers = containers;
  }

  /** @param all every container, as {@code ps -a} lists them */
  Engine.DiskUsage count(List<ContainerView> all) {
    Set<Digest> inUse = new HashSet<>();
    int running = 0;
    long bytes = 0;
    long reclaimable = 0;
    for (ContainerView c : all) {
      inUse.add(Digest.parse(containers.get(c.id()).image()));
      long own = images.rootfsBytes(c.id());
      bytes += own;
      if (c.running()) {
        running++;
      } else {
        reclaimable += own;
      }
    }
    return new Engine.DiskUsage(images.diskUsage(inUse), all.size(), running, bytes, reclaimable);
  }
}
