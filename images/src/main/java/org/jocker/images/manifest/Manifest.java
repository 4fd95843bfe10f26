package org.jocker.images.manifest;

/** What a registry serves at /manifests/: an image manifest, or an index of them. */
public sealed interface Manifest permits ImageManifest, ImageIndex {
  int schemaVersion();

  /** The media type the document declares; may be null for old OCI documents. */
  String mediaType();
}
