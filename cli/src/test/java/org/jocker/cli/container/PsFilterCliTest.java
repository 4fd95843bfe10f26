package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `ps --filter` and `container prune --filter`, by Docker's rules. */
class PsFilterCliTest extends CliTestBase {

  @BeforeEach
  void setUp() throws Exception {
    // Oldest to newest: alpha, beta (created), gamma (exited 3), delta (exited 0), eps (running).
    jocker.ok("create", "--name", "alpha", "--label", "team=a", "busybox", "true");
    Thread.sleep(20);
    jocker.ok("create", "--name", "beta", "--label", "team=b", "--label", "x", "busybox", "true");
    Thread.sleep(20);
    assertThat(jocker.run("run", "--name", "gamma", "busybox", "sh", "-c", "exit 3").code()).isEqualTo(3);
    jocker.ok("run", "--name", "delta", "-v", "cache:/cache", "busybox", "true");
    jocker.ok("run", "-d", "--name", "eps", "busybox", "sleep", "60");
  }

  @AfterEach
  void cleanUp() {
    jocker.removeAllContainers();
  }

  /** The names `ps ARGS` lists, newest first. */
  private List<String> names(String... args) {
    List<String> all = new ArrayList<>(List.of("ps", "--format", "{{.Names}}"));
    all.addAll(List.of(args));
    return jocker.ok(all.toArray(String[]::new)).out().lines().toList();
  }

  @Test
  void filtersOfOneKeyAreOredAndOfDifferentKeysAnded() {
    assertThat(names("-a", "--filter", "label=team=a")).containsExactly("alpha");
    assertThat(names("-a", "--filter", "label=team")).containsExactly("beta", "alpha");
    assertThat(names("-a", "--filter", "label=team", "--filter", "label=x")).containsExactly("beta");
    assertThat(names("-a", "-f", "name=alpha")).containsExactly("alpha");
    assertThat(names("-a", "-f", "name=ta$")).containsExactly("delta", "beta"); // a regular expression, as Docker
    assertThat(names("-a", "-f", "name=a", "-f", "status=created")).containsExactly("beta", "alpha");
    String alpha = jocker.ok("inspect", "-f", "{{.Id}}", "alpha").out().substring(0, 8);
    assertThat(names("-a", "-f", "id=" + alpha)).containsExactly("alpha");
    assertThat(names("-a", "-f", "volume=cache")).containsExactly("delta");
  }

  @Test
  void statusAndExitCode() {
    assertThat(names("--filter", "status=exited")).containsExactly("delta", "gamma"); // no -a needed
    assertThat(names("--filter", "status=exited", "--filter", "status=running"))
        .containsExactly("eps", "delta", "gamma");
    assertThat(names("--filter", "status=created")).containsExactly("beta", "alpha");
    assertThat(names("-f", "status=paused")).isEmpty();
    assertThat(names("-a", "--filter", "exited=3")).containsExactly("gamma");
    assertThat(names("-a", "--filter", "exited=0")).containsExactly("delta"); // not the created ones
    assertThat(names("--filter", "exited=3")).isEmpty(); // exited ones need -a
  }

  @Test
  void ancestorBeforeAndSince() {
    String image = jocker.ok("inspect", "-f", "{{.Id}}", "busybox").out().strip();
    jocker.ok("commit", "delta", "derived:1");
    jocker.ok("run", "--name", "child", "derived:1", "true");
    assertThat(names("-a", "-f", "ancestor=busybox")).containsExactly("child", "eps", "delta", "gamma", "beta",
        "alpha");
    assertThat(names("-a", "-f", "ancestor=" + image.substring(7, 19))).hasSize(6);
    assertThat(names("-a", "-f", "ancestor=derived:1")).containsExactly("child");
    assertThat(names("-a", "-f", "ancestor=no-such-image")).isEmpty();
    assertThat(names("-a", "-f", "before=gamma")).containsExactly("beta", "alpha");
    assertThat(names("-a", "-f", "since=delta")).containsExactly("child", "eps");
    assertThat(names("-f", "since=beta", "-f", "status=exited")).containsExactly("child", "delta", "gamma");
  }

  @Test
  void badFiltersFailWithDockersMessages() {
    String[][] cases = {
      {"foo=1", "jocker: invalid filter 'foo'"},
      {"status=sleeping", "jocker: invalid filter 'status=sleeping'"},
      {"exited=x", "jocker: invalid filter 'exited=x': strconv.Atoi: parsing \"x\": invalid syntax"},
      {"nofilter", "jocker: invalid argument \"nofilter\" for \"-f, --filter\" flag: bad format of filter"
          + " (expected name=value)"},
      {"before=nope", "jocker: No such container: nope"},
    };
    for (String[] c : cases) {
      Jocker.Result r = jocker.run("ps", "--filter", c[0]);
      assertThat(r.code()).as(c[0]).isEqualTo(125);
      assertThat(r.err()).as(c[0]).isEqualTo(c[1] + "\n");
    }
  }

  @Test
  void pruneRemovesOnlyTheStoppedContainersTheFilterSelects() {
    String alpha = jocker.ok("inspect", "-f", "{{.Id}}", "alpha").out();
    assertThat(jocker.ok("container", "prune", "-f", "--filter", "label=team=a").out())
        .startsWith("Deleted Containers:\n" + alpha + "\n");
    assertThat(names("-a")).containsExactly("eps", "delta", "gamma", "beta");
    jocker.ok("container", "prune", "-f", "--filter", "label!=team");
    assertThat(names("-a")).containsExactly("eps", "beta"); // eps runs
    jocker.ok("container", "prune", "-f", "--filter", "until=1h");
    assertThat(names("-a")).containsExactly("eps", "beta"); // created in the last hour
    Jocker.Result bad = jocker.run("container", "prune", "-f", "--filter", "status=exited");
    assertThat(bad.code()).isEqualTo(125);
    assertThat(bad.err()).isEqualTo("jocker: invalid filter 'status'\n");
  }
}
