package org.jocker.engine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.operations.ContainerOperations;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Change;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/** diff, export and commit: what a container's root filesystem holds beyond its image. */
final class ContainerChanges {
  private final ImageService images;
  private final ContainerStore containers;
  private final ContainerOperations operations;

  ContainerChanges(ImageService images, ContainerStore containers, ContainerOperations operations) {
    this.images = images;
    this.containers = containers;
    this.operations = operations;
  }

  /** `diff`: A/C/D lines of what the container changed. */
  List<Change> diff(String idOrName) {
    return images.changes(containers.get(idOrName).id());
  }

  /** `export`: the container's root filesystem as a tar stream (a running one frozen meanwhile). */
  void export(String idOrName, OutputStream out) {
    ContainerRecord r = containers.get(idOrName);
    Path rootfs = containers.bundle(r.id()).resolve("rootfs");
    if (!containers.isMounted(r.id())) {
      throw EngineException.conflict("container " + idOrName + " has no mounted root filesystem");
    }
    operations.whileFrozen(idOrName, true, () -> {
      images.export(rootfs, out);
      return null;
    });
  }

  /** `commit`: a new image from the container's changes (a running one frozen meanwhile); returns its ID. */
  String commit(String idOrName, String ref, List<String> changes, String message, String author) {
    ContainerRecord r = containers.get(idOrName);
    Image parent = images.catalog().find(Digest.parse(r.image()))
        .orElseThrow(() -> EngineException.notFound("the image of container " + idOrName + " is gone"));
    List<Reference> names = ref == null ? List.of() : List.of(Reference.parse(ref));
    return operations.whileFrozen(idOrName, true,
        () -> images.commit(r.id(), parent, changes, message, author, names)).id().toString();
  }
}
