package org.jocker.images.manifest;

import java.util.Arrays;
import java.util.Objects;
import org.jocker.images.digest.Digest;

/**
 * A parsed JSON document together with the exact bytes it was parsed from. The digest is always
 * of those bytes, never of a re-serialisation, so storing {@link #bytes()} keeps the digest.
 */
public record Document<T>(T value, byte[] raw, Digest digest) {
  public Document {
    Objects.requireNonNull(value, "value");
    raw = raw.clone();
    Objects.requireNonNull(digest, "digest");
  }

  /** A document whose digest is the sha256 of {@code raw}. */
  public static <T> Document<T> of(T value, byte[] raw) {
    return new Document<>(value, raw, Digest.sha256(raw));
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return raw.clone();
  }

  public int size() {
    return raw.length;
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Document<?> d && digest.equals(d.digest) && Arrays.equals(raw, d.raw);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "Document[" + digest + ", " + raw.length + " bytes]";
  }
}
