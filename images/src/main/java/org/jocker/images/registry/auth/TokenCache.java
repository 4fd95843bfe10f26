package org.jocker.images.registry.auth;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens per (registry endpoint, scopes), each kept until it expires. */
final class TokenCache {
  private record Key(URI endpoint, List<String> scopes) {}

  private final Map<Key, Token> tokens = new ConcurrentHashMap<>();
  private final Clock clock;

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  Optional<Token> get(URI endpoint, List<String> scopes) {
    Key key = new Key(endpoint, scopes);
    Token token = tokens.get(key);
    if (token != null && !token.validAt(clock.instant())) {
      tokens.remove(key, token);
      return Optional.empty();
    }
    return Optional.ofNullable(token);
  }

  void put(URI endpoint, List<String> scopes, Token token) {
    tokens.put(new Key(endpoint, scopes), token);
  }

  void remove(URI endpoint, List<String> scopes) {
    tokens.remove(new Key(endpoint, scopes));
  }
}
