package org.jocker.images.digest;

import java.security.MessageDigest;

/** Hashes bytes as they pass and counts them, so a blob never needs to be held in memory. */
public final class Digester {
  private final DigestAlgorithm algorithm;
  private final MessageDigest hash;
  private long count;

  public Digester(DigestAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.hash = algorithm.newMessageDigest();
  }

  public static Digester sha256() {
    return new Digester(DigestAlgorithm.SHA256);
  }

  public void update(byte[] bytes, int offset, int length) {
    hash.update(bytes, offset, length);
    count += length;
  }

  public void update(int b) {
    hash.update((byte) b);
    count++;
  }

  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /** The number of bytes seen so far. */
  public long count() {
    return count;
  }

  /** The digest of the bytes seen so far; more bytes may follow. */
  public Digest digest() {
    try {
      // Cloning leaves the running hash untouched; SHA-2 implementations are all cloneable.
      return Digest.of(algorithm, ((MessageDigest) hash.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(algorithm + " digest is not cloneable", e);
    }
  }
}
