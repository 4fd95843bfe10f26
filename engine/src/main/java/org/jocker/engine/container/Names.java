package org.jocker.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Container ids (64 hex characters, as Docker's) and generated names ("adjective_scientist"). */
public final class Names {
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

  /** A name not in {@code taken}. */
  public static String generate(Set<String> taken) {
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
