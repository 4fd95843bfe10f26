package org.jocker.images.layer;

/** The OCI whiteout names in a layer tar and their overlayfs forms on disk. */
final class Whiteouts {
  /** A tar entry named PREFIX + NAME deletes NAME from the layers below. */
  static final String PREFIX = ".wh.";
  /** A tar entry with this name makes its directory opaque: nothing below shows through. */
  static final String OPAQUE = ".wh..wh..opq";
  /** Other names with this prefix are aufs bookkeeping (e.g. .wh..wh.plnk) and are skipped. */
  static final String META_PREFIX = ".wh..wh.";
  /** overlayfs marks an opaque directory with this xattr set to "y". */
  static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  /** xattrs in this namespace steer overlayfs; a layer must not be able to set them. */
  static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

  private Whiteouts() {}
}
