package org.jocker.images.snapshot;

/** containerd's snapshot kinds: writable, read-only, or frozen (a parent for others). */
public enum SnapshotKind {
  ACTIVE,
  VIEW,
  COMMITTED
}
