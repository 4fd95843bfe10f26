package org.jocker.images.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a WWW-Authenticate header: its scheme ({@code basic}, {@code bearer}, lower
 * case) and parameters ({@code realm}, {@code service}, {@code scope}, {@code error}...).
 */
public record Challenge(String scheme, Map<String, String> params) {
  public Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /**
   * Every challenge of the headers' values: {@code Bearer realm="https://a/token",service="r",
   * scope="repository:x:pull", Basic realm="r"} is two. Quoted strings may hold commas and
   * backslash escapes; names are case-insensitive.
   */
  public static List<Challenge> parse(List<String> headers) {
    List<Challenge> challenges = new ArrayList<>();
    for (String header : headers) {
      new Reader(header).readAll(challenges);
    }
    return List.copyOf(challenges);
  }

  /** A cursor over one header value (RFC 7235's grammar, as registries write it). */
  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    void readAll(List<Challenge> into) {
      String scheme = null;
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        skip(" \t,");
        if (i >= s.length()) {
          break;
        }
        String token = token();
        if (token.isEmpty()) {
          i++; // a stray character: no part of any challenge
          continue;
        }
        skip(" \t");
        if (scheme != null && i < s.length() && s.charAt(i) == '=') {
          i++;
          skip(" \t");
          params.put(token.toLowerCase(Locale.ROOT), value());
        } else {
          if (scheme != null) {
            into.add(new Challenge(scheme, params));
          }
          scheme = token;
          params = new LinkedHashMap<>();
        }
      }
      if (scheme != null) {
        into.add(new Challenge(scheme, params));
      }
    }

    private String token() {
      int start = i;
      while (i < s.length() && " \t,=\"".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      return s.substring(start, i);
    }

    private String value() {
      if (i < s.length() && s.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          b.append(s.charAt(i));
        }
        i++; // the closing quote
        return b.toString();
      }
      return token();
    }

    private void skip(String chars) {
      while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }
  }
}
