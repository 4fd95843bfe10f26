package org.jocker.images;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jocker.images.archive.ArchiveFormat;
import org.jocker.images.archive.ImageLoader;
import org.jocker.images.archive.ImageSaver;
import org.jocker.images.archive.LoadedImage;
import org.jocker.images.content.ContentStore;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.RootfsImporter;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Images into and out of tar streams: {@code load} and {@code save} (docker-archive and OCI
 * layout), {@code import} (a root filesystem tarball as a one-layer image). What a load or an
 * import stores is leased until its image is registered, so a collection meanwhile keeps it.
 */
public final class ImageArchives {
  private final ContentStore content;
  private final ImageStore images;

  ImageArchives(ContentStore content, ImageStore images) {
    this.content = content;
    this.images = images;
  }

  /** Every image of a docker-archive or OCI layout tar; a bad archive registers none. */
  public List<LoadedImage> load(InputStream archive) {
    try (ContentStore.Lease lease = content.lease()) {
      return new ImageLoader(content, images).load(archive);
    }
  }

  /** Writes the images {@code refsOrIds} name to {@code out}, which is left open. */
  public void save(List<String> refsOrIds, OutputStream out, ArchiveFormat format) {
    new ImageSaver(content, images).save(refsOrIds, out, format);
  }

  /**
   * A root filesystem tarball (plain, gzip or zstd) as a new one-layer image named {@code names},
   * its config changed by {@code changes} (Dockerfile instructions).
   */
  public Image importRootfs(InputStream tar, List<Reference> names, List<String> changes, String message) {
    try (ContentStore.Lease lease = content.lease()) {
      return new RootfsImporter(content, new ImageAssembler(content, images)).importTar(tar, names, changes, message);
    }
  }
}
