package org.jocker.images.snapshot;

import java.time.Instant;

/**
 * One snapshot: its key (for a committed one, the layer chain id), its parent's key (null for a
 * base), kind and creation time.
 */
public record SnapshotInfo(String key, String parent, SnapshotKind kind, Instant created) {}
