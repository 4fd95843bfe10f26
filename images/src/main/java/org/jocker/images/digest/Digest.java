package org.jocker.images.digest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.jocker.images.ImageException;

/**
 * A content address such as {@code sha256:e3b0c442...}: the algorithm and the lowercase hex of
 * the hash. Two digests are equal when both parts are; the string form is the canonical one.
 */
public record Digest(DigestAlgorithm algorithm, String encoded) implements Comparable<Digest> {
  private static final HexFormat HEX = HexFormat.of();

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(encoded, "encoded");
    String problem = problemWith(algorithm, encoded);
    if (problem != null) {
      throw new ImageException("invalid digest \"" + algorithm + ":" + encoded + "\": " + problem);
    }
  }

  /** Parses {@code algorithm:hex}; the error names the string and what is wrong with it. */
  @JsonCreator
  public static Digest parse(String text) {
    Objects.requireNonNull(text, "digest");
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new ImageException("invalid digest \"" + text + "\": expected algorithm:hex");
    }
    String name = text.substring(0, colon);
    DigestAlgorithm algorithm = DigestAlgorithm.byId(name);
    if (algorithm == null) {
      throw new ImageException("invalid digest \"" + text + "\": unsupported algorithm " + name
          + " (sha256 or sha512)");
    }
    return new Digest(algorithm, text.substring(colon + 1));
  }

  /** True when {@code text} parses as a digest. */
  public static boolean isDigest(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    DigestAlgorithm algorithm = DigestAlgorithm.byId(text.substring(0, colon));
    return algorithm != null && problemWith(algorithm, text.substring(colon + 1)) == null;
  }

  public static Digest of(DigestAlgorithm algorithm, byte[] hash) {
    return new Digest(algorithm, HEX.formatHex(hash));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(DigestAlgorithm.SHA256, DigestAlgorithm.SHA256.newMessageDigest().digest(bytes));
  }

  /** The sha256 digest of the UTF-8 bytes of {@code text}. */
  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String problemWith(DigestAlgorithm algorithm, String encoded) {
    if (encoded.length() != algorithm.hexLength()) {
      return algorithm + " needs " + algorithm.hexLength() + " hex characters, got "
          + encoded.length();
    }
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return "'" + c + "' is not a lowercase hex character";
      }
    }
    return null;
  }

  /** The first 12 hex characters, as Docker shows image IDs. */
  public String shortHex() {
    return encoded.substring(0, 12);
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm.id() + ":" + encoded;
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }
}
