package org.jocker.images.archive;

import java.util.Set;
import org.jocker.images.ImageException;

/** The two archive formats images travel in. */
public enum ArchiveFormat {
  /** What {@code docker save} writes: manifest.json with Config, RepoTags and Layers. */
  DOCKER_ARCHIVE,
  /** An OCI image layout (oci-layout, index.json, blobs/) packed in a tar. */
  OCI_LAYOUT;

  /**
   * The format of an archive from its file names. Docker 25+ writes both a manifest.json and an
   * OCI layout; manifest.json wins there, as it carries the RepoTags.
   */
  static ArchiveFormat detect(Set<String> names) {
    if (names.contains("manifest.json")) {
      return DOCKER_ARCHIVE;
    }
    if (names.contains("index.json") || names.contains("oci-layout")) {
      return OCI_LAYOUT;
    }
    throw new ImageException("invalid archive: neither manifest.json (docker-archive) nor"
        + " index.json (OCI layout) found");
  }
}
