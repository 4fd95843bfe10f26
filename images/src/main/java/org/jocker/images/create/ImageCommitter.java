package org.jocker.images.create;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jocker.images.content.ContentStore;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * `commit`: a container's changes (the upper directory of its root filesystem) as a new layer on
 * top of its image's, with the image's config changed by Dockerfile instructions.
 */
public final class ImageCommitter {
  private final ContentStore content;
  private final ImageAssembler assembler;

  public ImageCommitter(ContentStore content, ImageAssembler assembler) {
    this.content = content;
    this.assembler = assembler;
  }

  public Image commit(Path upper, ImageManifest parentManifest, ImageConfig parentConfig, List<String> changes,
      String message, String author, List<Reference> names) {
    LayerDiff diff = new LayerDiff();
    LayerBlob layer = new LayerWriter(content).writeStream(out -> diff.writeTar(upper, out));
    List<LayerBlob> layers = new ArrayList<>();
    for (int i = 0; i < parentManifest.layers().size(); i++) {
      Descriptor d = parentManifest.layers().get(i);
      layers.add(new LayerBlob(d.digest(), d.size(), d.mediaType(), parentConfig.diffIds().get(i)));
    }
    layers.add(layer);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<ImageConfig.History> history = new ArrayList<>(parentConfig.history());
    history.add(new ImageConfig.History(now, "jocker commit", author, message, null));
    return assembler.assemble(layers, ConfigChanges.apply(parentConfig.config(), changes), history, now, names);
  }
}
