package org.jocker.images.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.manifest.PlatformSelector;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * {@code docker load}: reads a docker-archive or an OCI layout tar, stores its blobs and
 * registers its images. Every image of the archive is verified before the first is registered,
 * so a bad archive registers nothing; blobs it already stored are left for the garbage
 * collector, and no image record ever names a blob that is not there.
 */
public final class ImageLoader {
  private final ContentStore content;
  private final ImageStore images;
  private final PlatformSelector platform;

  public ImageLoader(ContentStore content, ImageStore images) {
    this(content, images, PlatformSelector.host());
  }

  /** A loader that picks {@code platform}'s manifest from OCI indexes. */
  public ImageLoader(ContentStore content, ImageStore images, PlatformSelector platform) {
    this.content = Objects.requireNonNull(content, "content");
    this.images = Objects.requireNonNull(images, "images");
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  public List<LoadedImage> load(Path archive) {
    return load(archive, null);
  }

  public List<LoadedImage> load(Path archive, String defaultRepository) {
    try (InputStream in = Files.newInputStream(archive)) {
      return load(in, defaultRepository);
    } catch (IOException e) {
      throw new ImageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  public List<LoadedImage> load(InputStream archive) {
    return load(archive, null);
  }

  /**
   * Loads every image of {@code archive}. {@code defaultRepository} (e.g. {@code foo/bar})
   * names OCI images whose ref name is only a tag; null leaves them untagged, as Docker does.
   */
  public List<LoadedImage> load(InputStream archive, String defaultRepository) {
    ArchiveContents contents = ArchiveContents.read(archive, content);
    List<PlannedImage> planned = switch (ArchiveFormat.detect(contents.names())) {
      case DOCKER_ARCHIVE -> new DockerArchiveReader(contents, content).read();
      case OCI_LAYOUT -> new OciLayoutReader(contents, platform, defaultRepository).read();
    };
    List<LoadedImage> loaded = new ArrayList<>();
    for (PlannedImage image : planned) {
      Image added = images.add(image.indexDigest(), image.manifestDigest(), image.configDigest(),
          image.references());
      loaded.add(new LoadedImage(added.id(), image.references()));
    }
    return loaded;
  }
}
