package org.jocker.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `ps --filter` and `container prune --filter` by Docker's rules, on containers made up here. */
class ContainerFilterTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ContainerFilter.Candidate container(String name, String state, int code, int minute,
      Map<String, String> labels, List<String> layers) {
    String id = (name + "0".repeat(64)).substring(0, 64);
    ContainerRecord r = new ContainerRecord(id, name, "sha256:" + "1".repeat(64), "busybox",
        T0.plusSeconds(60L * minute).toString(), List.of("true"), false);
    ContainerView v = new ContainerView(id, name, "busybox", List.of("true"), r.created(), state, code, null);
    return new ContainerFilter.Candidate(r, v, labels, layers);
  }

  private static boolean matches(ContainerFilter f, ContainerFilter.Candidate c) {
    return f.matches(c, null, null, List.of());
  }

  @Test
  void oneKeyIsOredDifferentKeysAndedLabelsAllMatch() {
    ContainerFilter.Candidate web = container("web", "running", 0, 1, Map.of("team", "a", "tier", "front"), List.of());
    ContainerFilter.Candidate db = container("db", "exited", 3, 2, Map.of("team", "b"), List.of());
    ContainerFilter status = ContainerFilter.forPs(List.of("status=running", "status=exited"));
    assertThat(matches(status, web)).isTrue();
    assertThat(matches(status, db)).isTrue();
    ContainerFilter both = ContainerFilter.forPs(List.of("status=running", "name=db"));
    assertThat(matches(both, web)).isFalse();
    assertThat(matches(both, db)).isFalse();
    ContainerFilter labels = ContainerFilter.forPs(List.of("label=team", "label=tier=front"));
    assertThat(matches(labels, web)).isTrue();
    assertThat(matches(labels, db)).isFalse();
    assertThat(matches(ContainerFilter.forPs(List.of("exited=3")), db)).isTrue();
    assertThat(matches(ContainerFilter.forPs(List.of("exited=0")), web)).isFalse(); // running: no exit code yet
    assertThat(matches(ContainerFilter.forPs(List.of("name=^w")), web)).isTrue();
    assertThat(matches(ContainerFilter.forPs(List.of("name=/web")), web)).isTrue(); // Docker's names start with /
    assertThat(matches(ContainerFilter.forPs(List.of("id=" + web.record().id().substring(0, 5))), web)).isTrue();
    assertThat(ContainerFilter.forPs(List.of("status=exited")).showsStopped()).isTrue();
  }

  @Test
  void beforeSinceAndAncestorLayers() {
    ContainerFilter.Candidate c = container("c", "exited", 0, 5, Map.of(), List.of("sha256:a", "sha256:b"));
    ContainerFilter none = ContainerFilter.forPs(List.of());
    assertThat(none.matches(c, T0.plusSeconds(600), null, List.of())).isTrue();
    assertThat(none.matches(c, T0.plusSeconds(300), null, List.of())).isFalse(); // not strictly before
    assertThat(none.matches(c, null, T0.plusSeconds(299), List.of())).isTrue();
    ContainerFilter ancestor = ContainerFilter.forPs(List.of("ancestor=x"));
    assertThat(ancestor.matches(c, null, null, List.of(List.of("sha256:a")))).isTrue(); // built on it
    assertThat(ancestor.matches(c, null, null, List.of(List.of("sha256:b")))).isFalse();
    assertThat(ancestor.matches(c, null, null, List.of())).isFalse(); // an unknown image matches nothing
  }

  @Test
  void pruneFilters() {
    ContainerFilter.Candidate a = container("a", "exited", 0, 1, Map.of("keep", "yes"), List.of());
    assertThat(matches(ContainerFilter.forPrune(List.of("label!=keep")), a)).isFalse();
    assertThat(matches(ContainerFilter.forPrune(List.of("label!=keep=no")), a)).isTrue();
    assertThat(matches(ContainerFilter.forPrune(List.of("until=2025-12-31T00:00:00Z")), a)).isFalse();
    assertThat(matches(ContainerFilter.forPrune(List.of("until=2026-01-02T00:00:00Z")), a)).isTrue();
    assertThatThrownBy(() -> ContainerFilter.forPrune(List.of("until=soon")))
        .hasMessage("failed to parse value for until filter: \"soon\"");
    assertThatThrownBy(() -> ContainerFilter.forPrune(List.of("name=a"))).hasMessage("invalid filter 'name'");
  }

  @Test
  void badFilters() {
    assertThatThrownBy(() -> ContainerFilter.forPs(List.of("health=ok"))).hasMessage("invalid filter 'health'");
    assertThatThrownBy(() -> ContainerFilter.forPs(List.of("=x"))).hasMessage(
        "invalid argument \"=x\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
    assertThatThrownBy(() -> ContainerFilter.forPs(List.of("status=up"))).hasMessage("invalid filter 'status=up'");
  }

  @Test
  void networksByDockersKeys() {
    ContainerFilter f = ContainerFilter.forNetworks(List.of("name=net", "label=team=a", "type=custom"));
    assertThat(f.matchesNetwork("abc", "mynet", "bridge", false, Map.of("team", "a"))).isTrue();
    assertThat(f.matchesNetwork("abc", "mynet", "bridge", false, Map.of("team", "b"))).isFalse();
    assertThat(f.matchesNetwork("abc", "bridge", "bridge", true, Map.of("team", "a"))).isFalse();
    ContainerFilter drivers = ContainerFilter.forNetworks(List.of("driver=null", "driver=host"));
    assertThat(drivers.matchesNetwork("n", "none", "null", true, Map.of())).isTrue();
    assertThat(drivers.matchesNetwork("b", "bridge", "bridge", true, Map.of())).isFalse();
    assertThat(ContainerFilter.forNetworks(List.of("id=ab")).matchesNetwork("abc", "x", "bridge", false, Map.of()))
        .isTrue();
    assertThatThrownBy(() -> ContainerFilter.forNetworks(List.of("type=other")))
        .hasMessage("invalid filter: 'type'='other'");
    assertThatThrownBy(() -> ContainerFilter.forNetworks(List.of("status=x"))).hasMessage("invalid filter 'status'");
  }
}
