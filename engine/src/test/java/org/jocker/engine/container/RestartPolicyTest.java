package org.jocker.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** `--restart` values, Docker's rule for restarting, and its backoff. */
class RestartPolicyTest {
  @Test
  void parsesDockersSyntax() {
    assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
    assertThat(RestartPolicy.parse("no")).isEqualTo(RestartPolicy.NO);
    assertThat(RestartPolicy.parse("always")).isEqualTo(new RestartPolicy("always", 0));
    assertThat(RestartPolicy.parse("unless-stopped")).isEqualTo(new RestartPolicy("unless-stopped", 0));
    assertThat(RestartPolicy.parse("on-failure")).isEqualTo(new RestartPolicy("on-failure", 0));
    assertThat(RestartPolicy.parse("on-failure:5")).isEqualTo(new RestartPolicy("on-failure", 5));
    assertThatThrownBy(() -> RestartPolicy.parse("always:-1")).hasMessage(
        "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative");
    assertThat(RestartPolicy.parse("on-failure:")).isEqualTo(new RestartPolicy("on-failure", 0));
  }

  @Test
  void restartsByDockersRule() {
    RestartPolicy onFailure2 = RestartPolicy.parse("on-failure:2");
    assertThat(onFailure2.restarts(3, 0, false)).isTrue();
    assertThat(onFailure2.restarts(3, 1, false)).isTrue();
    assertThat(onFailure2.restarts(3, 2, false)).isFalse();
    assertThat(onFailure2.restarts(0, 0, false)).isFalse();
    assertThat(RestartPolicy.parse("on-failure").restarts(1, 1000, false)).isTrue();
    assertThat(RestartPolicy.parse("always").restarts(0, 1000, false)).isTrue();
    assertThat(RestartPolicy.parse("unless-stopped").restarts(0, 0, false)).isTrue();
    for (String name : new String[] {"always", "unless-stopped", "on-failure"}) {
      assertThat(RestartPolicy.parse(name).restarts(1, 0, true)).as(name + " after a stop").isFalse();
    }
    assertThat(RestartPolicy.NO.restarts(1, 0, false)).isFalse();
  }

  @Test
  void backsOffFrom100MillisDoublingUpToAMinuteAndStartsAgainAfterALongRun() {
    RestartState s = RestartState.NEW;
    long[] expected = {100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000};
    for (long delay : expected) {
      assertThat(s.nextBackoff(1_000_000L)).isEqualTo(delay);
      s = s.waiting(delay, null);
    }
    assertThat(s.nextBackoff(10_000_000_000L)).isEqualTo(100);
  }
}
