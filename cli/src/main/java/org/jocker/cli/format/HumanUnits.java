package org.jocker.cli.format;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Sizes and ages as Docker prints them: "4.26MB" (decimal units), "3 weeks ago". */
public final class HumanUnits {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

  private HumanUnits() {}

  /** Three significant digits, decimal units, as Docker's go-units HumanSize. */
  public static String size(long bytes) {
    return size(bytes, 3);
  }

  /** {@code significant} digits (a pull's progress shows four, as go-units' HumanSize). */
  public static String size(long bytes, int significant) {
    double v = bytes;
    int unit = 0;
    while (v >= 1000 && unit < UNITS.length - 1) {
      v /= 1000;
      unit++;
    }
    String digits = new java.math.BigDecimal(v).round(new java.math.MathContext(significant)).stripTrailingZeros().toPlainString();
    return digits + UNITS[unit];
  }

  /** "About a minute ago", "5 hours ago"; "N/A" for an unknown time. */
  public static String ago(String rfc3339, Instant now) {
    if (rfc3339 == null) {
      return "N/A";
    }
    try {
      return since(Duration.between(Instant.parse(rfc3339), now)) + " ago";
    } catch (DateTimeParseException e) {
      return "N/A";
    }
  }

  private static String since(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 1) {
      return "Less than a second";
    }
    if (s < 60) {
      return s + " second" + (s == 1 ? "" : "s");
    }
    long m = s / 60;
    if (m == 1) {
      return "About a minute";
    }
    if (m < 60) {
      return m + " minutes";
    }
    long h = Math.round(m / 60.0);
    if (h == 1) {
      return "About an hour";
    }
    if (h < 48) {
      return h + " hours";
    }
    long days = h / 24;
    if (days < 14) {
      return days + " days";
    }
    if (days < 60) {
      return days / 7 + " weeks";
    }
    if (days < 365 * 2) {
      return days / 30 + " months";
    }
    return days / 365 + " years";
  }
}
