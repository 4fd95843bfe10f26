package org.jocker.engine.image;

import java.util.Locale;
import org.jocker.engine.EngineException;

/** When {@code run} and {@code create} pull their image ({@code --pull}), as Docker's. */
public enum PullPolicy {
  /** Pull before creating, whether the image is there or not. */
  ALWAYS,
  /** Pull only when the image is not there (the default). */
  MISSING,
  /** Never pull: a missing image is an error. */
  NEVER;

  public static PullPolicy parse(String text) {
    return switch (text == null ? "missing" : text.toLowerCase(Locale.ROOT)) {
      case "always" -> ALWAYS;
      case "missing" -> MISSING;
      case "never" -> NEVER;
      default -> throw EngineException.invalidArgument("invalid pull option: '" + text
          + "': must be one of \"always\", \"missing\" or \"never\"");
    };
  }
}
