package org.jocker.build.context;

/**
 * A file of the build context COPY and ADD may use: its "/"-separated path relative to the
 * context's root, its kind, size, and for a symlink its target as written (never followed).
 */
public record ContextEntry(String path, Kind kind, long size, String linkTarget) {
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    OTHER
  }
}
