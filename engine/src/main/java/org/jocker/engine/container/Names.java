package org.jocker.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;

/** Container ids (64 hex characters, as Docker's) and names: asked for, or made ("adjective_scientist"). */
public final class Names {
  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> ADJECTIVES = List.of("brave", "calm", "clever", "eager", "gentle",
      "happy", "jolly", "keen", "lucid", "merry", "nifty", "proud", "quirky", "serene", "sharp",
      "stoic", "tender", "vibrant", "wise", "zealous");
  private static final List<String> SCIENTISTS = List.of("babbage", "curie", "darwin", "euler",
      "faraday", "galileo", "hopper", "kepler", "lamarr", "lovelace", "meitner", "newton", "noether",
      "pascal", "ritchie", "shannon", "thompson", "turing", "wozniak", "yonath");

  private Names() {}

  public static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The name a new container gets: the one asked for if it is valid and free, or a made one. */
  public static String choose(String requested, Set<String> taken) {
    if (requested == null) {
      return generate(taken);
    }
    if (!VALID.matcher(requested).matches()) {
      throw EngineException.invalidArgument("Invalid container name (" + requested
          + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    if (taken.contains(requested)) {
      throw EngineException.conflict("Conflict. The container name \"/" + requested + "\" is already in use");
    }
    return requested;
  }

  /** A name not in {@code taken}. */
  static String generate(Set<String> taken) {
    for (int i = 0; ; i++) {
      String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_"
          + SCIENTISTS.get(RANDOM.nextInt(SCIENTISTS.size()));
      if (i > 20) {
        name += "_" + RANDOM.nextInt(1000);
      }
      if (!taken.contains(name)) {
        return name;
      }
    }
  }
}
