package org.jocker.images.layer;

/**
 * What unpacking a layer measured: the diffID ("sha256:hex" of the uncompressed tar, the value an
 * image config lists in rootfs.diff_ids) and that tar's size in bytes.
 */
public record UnpackedLayer(String diffId, long size) {}
