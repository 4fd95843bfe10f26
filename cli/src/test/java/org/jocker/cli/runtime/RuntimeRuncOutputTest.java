package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.Version;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.ContainerRuntime;
import org.junit.jupiter.api.Test;

/** What runc prints and exits with for ps, kill 0, list, -v and delete --force, and the same here. */
class RuntimeRuncOutputTest extends RuntimeCliTestBase {

  @Test
  void psPassesItsArgumentsToPsAndKeepsTheContainersRows() throws Exception {
    long pid = cli.runSleeping("p1");
    Jocker.Result ex = cli.runtime("ps", "p1", "-e", "-x");
    assertThat(ex.code()).as(ex.err()).isZero();
    List<String> lines = ex.out().lines().toList();
    assertThat(lines.get(0).trim().split("\\s+")).startsWith("PID", "TTY", "STAT", "TIME", "COMMAND");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).trim()).startsWith(pid + " ").contains("sleep 600");

    assertThat(cli.runtime("ps", "p1", "-o", "pid,comm").out().lines().map(String::trim).toList())
        .containsExactly("PID COMMAND", pid + " sleep");
    assertThat(cli.runtime("ps", "p1").out().lines().toList()).hasSize(2); // -ef by default
    // json ignores ps's arguments, and is one line
    assertThat(cli.runtime("ps", "--format", "json", "p1", "--", "-ef").out()).isEqualTo("[" + pid + "]\n");

    cli.fails("couldn't find PID field in ps output", "ps", "p1", "-o", "comm,args");
    Jocker.Result psFails = cli.runtime("ps", "p1", "--no-such-ps-option");
    assertThat(psFails.code()).isEqualTo(1);
    assertThat(psFails.err()).startsWith("jocker-runtime: exit status 1: ");
    cli.fails("invalid format option", "ps", "-f", "yaml", "p1");
  }

  /** runc's bats help.bats: `VERB -h` is that verb's usage (exit 0), `foo -h` is no help topic (exit 3). */
  @Test
  void helpOfEachVerbAndOfAnUnknownOne() {
    Jocker.Result root = cli.runtime("-h");
    assertThat(root.code()).isZero();
    assertThat(root.out()).contains("Usage: jocker runtime");
    for (String verb : List.of("create", "delete", "events", "exec", "kill", "list", "pause", "ps", "resume",
        "run", "spec", "start", "state", "update")) {
      Jocker.Result r = cli.runtime(verb, "-h");
      assertThat(r.code()).as(verb + " -h: " + r.err()).isZero();
      assertThat(r.out()).as(verb).contains("Usage: jocker runtime " + verb);
    }
    Jocker.Result foo = cli.runtime("foo", "-h");
    assertThat(foo.code()).isEqualTo(3);
    assertThat(foo.err()).isEqualTo("No help topic for 'foo'\n");
    Jocker.Result bare = cli.runtime("foo");
    assertThat(bare.code()).isEqualTo(1);
    assertThat(bare.err()).contains("\"foo\" is not a command");
  }

  @Test
  void killZeroChecksThatTheInitIsThere() throws Exception {
    cli.runSleeping("k1");
    Jocker.Result alive = cli.runtime("kill", "k1", "0");
    assertThat(alive.code()).isZero();
    assertThat(alive.out() + alive.err()).isEmpty();
    assertThat(cli.runtime("pause", "k1").code()).isZero();
    assertThat(cli.runtime("kill", "k1", "0").code()).isZero();
    assertThat(cli.state("k1").get("status").asText()).isEqualTo("paused"); // nothing was sent
    assertThat(cli.runtime("resume", "k1").code()).isZero();
    assertThat(cli.runtime("kill", "k1", "KILL").code()).isZero();
    cli.awaitStatus("k1", "stopped");
    Jocker.Result gone = cli.runtime("kill", "k1", "0");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("is not running");
    // with --all, runc signals what is left in the cgroup of a stopped container: nothing, no error
    Jocker.Result all = cli.runtime("kill", "-a", "k1", "0");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(cli.runtime("kill", "nope", "0").err()).contains("\"nope\" does not exist");
  }

  @Test
  void listJsonIsOneLineInRuncsLayout() throws Exception {
    assertThat(cli.runtime("list", "--format", "json").out()).isEqualTo("null\n");
    long pid = cli.runSleeping("l1");
    Jocker.Result r = cli.runtime("list", "-f", "json");
    assertThat(r.out()).hasLineCount(1).startsWith("[{\"ociVersion\":");
    JsonNode entry = RuntimeCli.JSON.readTree(r.out()).get(0);
    List<String> fields = new ArrayList<>();
    entry.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner");
    assertThat(entry.get("pid").asLong()).isEqualTo(pid);
    assertThat(entry.get("owner").asText()).isEqualTo("root");
    cli.fails("invalid format option", "list", "--format", "yaml");
  }

  @Test
  void versionInRuncsLayout() {
    for (String flag : List.of("-v", "--version")) {
      Jocker.Result r = cli.runtime(flag);
      assertThat(r.code()).isZero();
      assertThat(r.out().lines().toList()).startsWith("jocker-runtime version " + Version.JOCKER,
          "spec: " + ContainerRuntime.OCI_VERSION);
    }
  }

  @Test
  void forcedDeleteOfAMissingContainerSucceedsAndRemovesWhatACreateLeft() throws Exception {
    Jocker.Result missing = cli.runtime("delete", "--force", "nope");
    assertThat(missing.code()).isZero();
    assertThat(missing.out() + missing.err()).isEmpty();
    Jocker.Result unforced = cli.runtime("delete", "nope");
    assertThat(unforced.code()).isEqualTo(1);
    assertThat(unforced.err()).contains("\"nope\" does not exist");
    // a create cut short before its state was written
    Path leftover = Files.createDirectories(cli.stateRoot().resolve("ghost"));
    assertThat(cli.runtime("delete", "-f", "ghost").code()).isZero();
    assertThat(leftover).doesNotExist();
  }
}
