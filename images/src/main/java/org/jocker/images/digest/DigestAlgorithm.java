package org.jocker.images.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest algorithms OCI registries use; sha256 is the canonical one. */
public enum DigestAlgorithm {
  SHA256("sha256", "SHA-256", 64),
  SHA512("sha512", "SHA-512", 128);

  private final String name;
  private final String javaName;
  private final int hexLength;

  DigestAlgorithm(String name, String javaName, int hexLength) {
    this.name = name;
    this.javaName = javaName;
    this.hexLength = hexLength;
  }

  /** The name used in a digest string, e.g. {@code sha256}. */
  public String id() {
    return name;
  }

  /** How many lowercase hex characters an encoded digest of this algorithm has. */
  public int hexLength() {
    return hexLength;
  }

  public MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(javaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(javaName + " is required by every Java platform", e);
    }
  }

  /** The algorithm named {@code id}, or null when it is not one we support. */
  public static DigestAlgorithm byId(String id) {
    for (DigestAlgorithm a : values()) {
      if (a.name.equals(id)) {
        return a;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
