package org.jocker.engine.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Docker's 64-hex-digit ids of what Jocker does not keep as objects of their own (endpoints,
 * sandboxes, the built-in networks): the SHA-256 of what they belong to, so each is stable.
 */
final class DerivedId {
  private DerivedId() {}

  static String of(String kind, String owner) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest((kind + ":" + owner).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
