package org.jocker.images.layer;

/**
 * A layer tar as unpacked or written: its diffID ("sha256:hex" of the uncompressed tar, the value an
 * image config lists in rootfs.diff_ids) and that tar's size in bytes.
 */
public record LayerDigest(String diffId, long size) {}
