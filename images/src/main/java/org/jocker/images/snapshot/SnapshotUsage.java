package org.jocker.images.snapshot;

/** What a snapshot's own directory holds: bytes (apparent sizes, hard links once) and inodes. */
public record SnapshotUsage(long bytes, long inodes) {}
