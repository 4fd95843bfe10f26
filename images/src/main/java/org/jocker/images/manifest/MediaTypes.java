package org.jocker.images.manifest;

import java.util.Set;

/** The media types of OCI and Docker schema 2 images, and what kind of blob each names. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_FOREIGN_LAYER =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
  /** Docker schema 1, which registries still serve for very old images; we do not support it. */
  public static final String DOCKER_SCHEMA1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
  private static final Set<String> UNCOMPRESSED_LAYERS =
      Set.of(OCI_LAYER, OCI_LAYER_NONDISTRIBUTABLE, DOCKER_LAYER);
  private static final Set<String> GZIP_LAYERS = Set.of(OCI_LAYER_GZIP,
      OCI_LAYER_NONDISTRIBUTABLE_GZIP, DOCKER_LAYER_GZIP, DOCKER_FOREIGN_LAYER);
  private static final Set<String> ZSTD_LAYERS = Set.of(OCI_LAYER_ZSTD, OCI_LAYER_NONDISTRIBUTABLE_ZSTD);
  private static final Set<String> NON_DISTRIBUTABLE = Set.of(OCI_LAYER_NONDISTRIBUTABLE,
      OCI_LAYER_NONDISTRIBUTABLE_GZIP, OCI_LAYER_NONDISTRIBUTABLE_ZSTD, DOCKER_FOREIGN_LAYER);

  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return MANIFESTS.contains(mediaType);
  }

  public static boolean isConfig(String mediaType) {
    return CONFIGS.contains(mediaType);
  }

  public static boolean isLayer(String mediaType) {
    return isUncompressedLayer(mediaType) || isGzipLayer(mediaType) || isZstdLayer(mediaType);
  }

  /** Layers that registries may not serve; they are fetched from their descriptor's urls. */
  public static boolean isNonDistributable(String mediaType) {
    return NON_DISTRIBUTABLE.contains(mediaType);
  }

  public static boolean isSchema1(String mediaType) {
    return DOCKER_SCHEMA1_SIGNED.equals(mediaType) || DOCKER_SCHEMA1.equals(mediaType);
  }

  /** An uncompressed tar layer. */
  public static boolean isUncompressedLayer(String mediaType) {
    return UNCOMPRESSED_LAYERS.contains(mediaType);
  }

  /** A gzip-compressed tar layer. */
  public static boolean isGzipLayer(String mediaType) {
    return GZIP_LAYERS.contains(mediaType);
  }

  /** A zstd-compressed tar layer. */
  public static boolean isZstdLayer(String mediaType) {
    return ZSTD_LAYERS.contains(mediaType);
  }
}
