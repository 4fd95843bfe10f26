package org.jocker.images.layer;

/** One path a container changed relative to its image, as {@code docker diff} prints it. */
public record Change(Kind kind, String path) {
  public enum Kind {
    ADDED('A'),
    CHANGED('C'),
    DELETED('D');

    private final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    public char letter() {
      return letter;
    }
  }

  /** "A /path". */
  @Override
  public String toString() {
    return kind.letter() + " " + path;
  }
}
