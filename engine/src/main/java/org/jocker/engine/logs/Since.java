package org.jocker.engine.logs;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `--since`: an RFC 3339 time, a Unix time (seconds[.fraction]), or a Go duration ago (10m, 1h30m). */
public final class Since {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Since() {}

  public static Instant parse(String text, Instant now) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // not a time
    }
    if (text.matches("\\d+(\\.\\d{1,9})?")) {
      BigDecimal s = new BigDecimal(text);
      return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    Matcher m = DURATION.matcher(text);
    long nanos = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos += (long) (v * unit);
      at = m.end();
    }
    if (at == 0 || at != text.length()) {
      throw new IllegalArgumentException("invalid value for --since: \"" + text
          + "\" (an RFC 3339 time, a Unix time, or a duration such as 10m)");
    }
    return now.minus(Duration.ofNanos(nanos));
  }
}
