package org.jocker.images.create;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Makes an image from stored layers: writes its config and manifest blobs and registers it. Used
 * by everything that creates images here (the built-in busybox, import, commit).
 */
public final class ImageAssembler {
  private final ContentStore content;
  private final ImageStore images;

  public ImageAssembler(ContentStore content, ImageStore images) {
    this.content = content;
    this.images = images;
  }

  /**
   * @param layers the image's layers, base first (a parent image's followed by new ones)
   * @param history one entry per build step, including the parent's
   * @param created RFC 3339 time of creation (fixed for reproducible images)
   */
  public Image assemble(List<LayerBlob> layers, ImageConfig.ContainerConfig config,
      List<ImageConfig.History> history, String created, List<Reference> names) {
    Platform host = Platform.host();
    List<Digest> diffIds = layers.stream().map(LayerBlob::diffId).toList();
    ImageConfig imageConfig = new ImageConfig(created, null, host.architecture(), host.os(), null, null,
        host.variant(), config, new ImageConfig.RootFs("layers", diffIds), history);
    try {
      Digest configDigest = content.put(ManifestParser.json().writeValueAsBytes(imageConfig));
      List<Descriptor> layerDescriptors = new ArrayList<>();
      layers.forEach(l -> layerDescriptors.add(l.descriptor()));
      ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
          Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, content.size(configDigest)),
          layerDescriptors, null, null);
      Digest manifestDigest = content.put(ManifestParser.json().writeValueAsBytes(manifest));
      return images.add(manifestDigest, configDigest, names.toArray(Reference[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image metadata", e);
    }
  }
}
