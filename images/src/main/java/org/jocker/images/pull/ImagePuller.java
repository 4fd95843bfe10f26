package org.jocker.images.pull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.Platform;
import org.jocker.images.manifest.PlatformSelector;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * {@code docker pull}: resolves a reference in its registry to one platform's manifest, fetches
 * the config and the missing layers (verified as they are stored, each unpacked as soon as it
 * is), and registers the image only once every blob it names is in the store and unpacked. A
 * failure registers nothing; blobs already stored stay for the next pull or the garbage
 * collector.
 */
public final class ImagePuller {
  private final RegistryClient client;
  private final ContentStore content;
  private final ImageStore images;
  private final ManifestResolver manifests;
  private final BlobDownload blobs;
  private final LayerDownloader layers;

  public ImagePuller(RegistryClient client, ContentStore content, ImageStore images) {
    this.client = Objects.requireNonNull(client, "client");
    this.content = Objects.requireNonNull(content, "content");
    this.images = Objects.requireNonNull(images, "images");
    this.manifests = new ManifestResolver(client, content);
    this.blobs = new BlobDownload(client, content);
    this.layers = new LayerDownloader(blobs, content);
  }

  /** Pulls {@code reference}, or with {@code allTags} every tag of its repository. */
  public List<PulledImage> pull(Reference reference, PullOptions options, PullProgress progress,
      LayerUnpacking unpacking) {
    PlatformSelector platform = options.platform() == null ? PlatformSelector.host()
        : new PlatformSelector(options.platform());
    if (!options.allTags()) {
      return List.of(pullOne(reference, platform, options.platform() != null, progress, unpacking));
    }
    List<String> tags;
    try {
      tags = client.tags(reference.domain(), reference.path());
    } catch (RegistryException e) {
      throw PullErrors.translate(e, reference);
    }
    List<PulledImage> pulled = new ArrayList<>();
    for (String tag : tags) {
      pulled.add(pullOne(reference.withTag(tag), platform, options.platform() != null, progress, unpacking));
    }
    return pulled;
  }

  private PulledImage pullOne(Reference reference, PlatformSelector platform, boolean platformAsked,
      PullProgress progress, LayerUnpacking unpacking) {
    progress.message((reference.isDigested() ? reference.digest().toString() : reference.tag())
        + ": Pulling from " + reference.path());
    Optional<Image> before = existing(reference);
    ResolvedImage resolved;
    try {
      resolved = manifests.resolve(reference, platform);
    } catch (RegistryException e) {
      throw PullErrors.translate(e, reference);
    }
    ImageManifest manifest = resolved.manifest().value();
    Document<ImageConfig> config = config(reference, manifest.config());
    checkPlatform(reference, config.value(), platform, platformAsked && resolved.indexDigest() == null);
    if (config.value().diffIds().size() != manifest.layers().size()) {
      throw new ImageException("image " + reference.familiar() + ": " + manifest.layers().size()
          + " layers but " + config.value().diffIds().size() + " diff_ids in its config");
    }
    boolean known = images.find(config.digest()).isPresent();
    PullProgress layerProgress = known ? PullProgress.NONE : progress;
    Image image;
    try (LayerUnpacking.Unpack unpack = unpacking.begin(reference.familiar(), manifest.layers(),
        config.value().diffIds(), layerProgress)) {
      layers.downloadAll(reference.domain(), reference.path(), manifest.layers(), layerProgress, unpack::stored);
      unpack.finish();
      image = images.add(resolved.indexDigest(), resolved.manifest().digest(), config.digest(),
          names(reference, resolved.top()));
    }
    progress.message("Digest: " + resolved.top());
    boolean changed = before.map(b -> !b.id().equals(image.id())).orElse(true);
    return new PulledImage(reference, resolved.top(), image, changed);
  }

  private Document<ImageConfig> config(Reference reference, Descriptor descriptor) {
    if (!content.reuse(descriptor.digest())) {
      blobs.fetch(reference.domain(), reference.path(), descriptor, bytes -> {}, () -> {});
    }
    Document<ImageConfig> config = ManifestParser.parseConfig(content.readAll(descriptor.digest()));
    if (!config.digest().equals(descriptor.digest())) {
      throw new ImageException("config " + descriptor.digest() + ": content does not match its digest");
    }
    return config;
  }

  /** A manifest named directly (no index to choose from) must be for the platform asked for. */
  private static void checkPlatform(Reference reference, ImageConfig config, PlatformSelector platform,
      boolean check) {
    if (!check) {
      return;
    }
    Platform actual = Platform.normalise(Platform.of(config.os(), config.architecture(), config.variant()));
    if (!platform.accepts(actual)) {
      throw new ImageException("image with reference " + reference.familiar()
          + " was found but does not match the specified platform: wanted "
          + platform.platform().format() + ", actual: " + actual.format());
    }
  }

  /** The names the image gets: the reference as given, and its repository at the pulled digest. */
  private static List<Reference> names(Reference reference, Digest top) {
    Reference byDigest = new Reference(reference.domain(), reference.path(), null, top);
    return reference.isDigested() ? List.of(byDigest) : List.of(reference, byDigest);
  }

  private Optional<Image> existing(Reference reference) {
    try {
      return Optional.of(images.resolve(reference.toString()));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }
}
