package org.jocker.images.registry.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A user's name and password (or token) for one registry. */
public record Credentials(String username, String password) {
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** {@code user:password} in base64: config.json's {@code auth} and HTTP Basic's value. */
  public String encoded() {
    return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** From config.json's {@code auth}; null when it is no base64 of {@code user:password}. */
  static Credentials decodeOrNull(String auth) {
    try {
      String pair = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon <= 0 ? null : new Credentials(pair.substring(0, colon), pair.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ", password hidden]";
  }
}
