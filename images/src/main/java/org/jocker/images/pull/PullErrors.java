package org.jocker.images.pull;

import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryException;

/**
 * A registry's "not there" answers as Docker words them for a pull, naming the reference: {@code
 * manifest for busybox:nope not found: manifest unknown: ...}, {@code repository X not found: ...},
 * {@code pull access denied for X, repository does not exist or may require 'docker login': ...}.
 * Other failures keep the registry's words.
 */
final class PullErrors {
  private PullErrors() {}

  static RegistryException translate(RegistryException e, Reference reference) {
    String code = e.code() == null ? "" : e.code();
    String prefix = switch (code) {
      case "MANIFEST_UNKNOWN" -> "manifest for " + reference.familiar() + " not found";
      case "NAME_UNKNOWN" -> "repository " + reference.familiarName() + " not found";
      case "DENIED", "UNAUTHORIZED" -> "pull access denied for " + reference.familiarName()
          + ", repository does not exist or may require 'docker login'";
      default -> null;
    };
    if (prefix == null) {
      return e;
    }
    RegistryException translated = new RegistryException(prefix + ": " + e.getMessage(), e.code(), e.status());
    translated.initCause(e);
    return translated;
  }
}
