package org.jocker.images.registry.auth;

import java.time.Instant;

/** A bearer token from a registry's token service and when it stops being good. */
record Token(String value, Instant expires) {
  boolean validAt(Instant now) {
    return now.isBefore(expires);
  }

  @Override
  public String toString() {
    return "Token[expires " + expires + "]";
  }
}
