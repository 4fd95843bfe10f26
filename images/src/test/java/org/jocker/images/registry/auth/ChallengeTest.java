package org.jocker.images.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void bearerWithQuotedParametersHoldingCommas() {
    assertThat(Challenge.parse(List.of(
        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
            + "scope=\"repository:a/b:pull,push repository:c:pull\"")))
        .containsExactly(new Challenge("bearer", Map.of("realm", "https://auth.example/token",
            "service", "registry.example", "scope", "repository:a/b:pull,push repository:c:pull")));
  }

  @Test
  void severalChallengesInOneHeaderAndInSeveral() {
    assertThat(Challenge.parse(List.of("Basic realm=\"Registry Realm\", Bearer realm=\"https://a/t\", error=invalid_token",
        "Negotiate")))
        .containsExactly(
            new Challenge("basic", Map.of("realm", "Registry Realm")),
            new Challenge("bearer", Map.of("realm", "https://a/t", "error", "invalid_token")),
            new Challenge("negotiate", Map.of()));
  }

  @Test
  void escapesAndCaseOfNames() {
    assertThat(Challenge.parse(List.of("BASIC Realm=\"a \\\"quoted\\\" realm\"")))
        .containsExactly(new Challenge("basic", Map.of("realm", "a \"quoted\" realm")));
  }
}
