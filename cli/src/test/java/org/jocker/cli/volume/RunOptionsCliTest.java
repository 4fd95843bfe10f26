package org.jocker.cli.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.Test;

/** `run`'s mount, resource and security flags and the `volume` commands, as a user types them. */
class RunOptionsCliTest extends CliTestBase {
  @Test
  void badInputIsRefusedWithDockersMessagesAndExitCode125() {
    String[][] cases = {
      {"-m", "12x", "jocker: invalid argument \"12x\" for \"-m, --memory\" flag: invalid size: '12x'"},
      {"-v", "rel/x:/x", "jocker: create rel/x: \"rel/x\" includes invalid characters for a local volume name,"
          + " only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"},
      {"-v", "/a:rel", "jocker: invalid volume specification: '/a:rel': invalid mount config for type \"bind\":"
          + " invalid mount path: 'rel' mount path must be absolute"},
      {"--cap-add", "FOO", "jocker: invalid CapAdd: unknown capability: \"CAP_FOO\""},
      {"--cap-drop", "cap_bar", "jocker: invalid CapDrop: unknown capability: \"CAP_BAR\""},
      {"--ulimit", "foo=1", "jocker: invalid argument \"foo=1\" for \"--ulimit\" flag: invalid ulimit type: foo"},
      {"--cpus", "one", "jocker: invalid argument \"one\" for \"--cpus\" flag: failed to parse one as a rational number"},
      {"--mount", "type=bind,source=/no/such/dir,target=/x",
          "jocker: invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir"},
      {"--mount", "type=nfs,target=/x", "jocker: invalid argument \"type=nfs,target=/x\" for \"--mount\" flag: invalid mount type: nfs"},
      {"--security-opt", "seccomp=/no/such.json",
          "jocker: opening seccomp profile (/no/such.json) failed: open /no/such.json: no such file or directory"},
      {"--env-file", "/no/such.env", "jocker: open /no/such.env: no such file or directory"},
      {"--stop-signal", "SIGFOO", "jocker: invalid signal: SIGFOO"},
    };
    for (String[] c : cases) {
      Jocker.Result r = jocker.run("run", c[0], c[1], "busybox", "true"); // without --rm: nothing is created either
      assertThat(r.code()).as(String.join(" ", c)).isEqualTo(125);
      assertThat(r.err()).as(String.join(" ", c)).isEqualTo(c[2] + "\n");
    }
    assertThat(jocker.ok("ps", "-a", "-q").out()).isEmpty();
    assertThat(jocker.ok("volume", "ls", "-q").out()).isEmpty();
  }

  @Test
  void envFileLabelsAndBindMountsReachTheContainer() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path envFile = tmp.resolve("env");
    Files.writeString(envFile, "# comment\n\nA=1\nB=from file\nJOCKER_TEST_PASSED\nUNSET_ONE_9\n");
    Path labelFile = tmp.resolve("labels");
    Files.writeString(labelFile, "# labels\nfrom.file=yes\n");
    jocker.ok("run", "--rm", "--env-file", envFile.toString(), "-e", "B=from flag", "-v", out + ":/out",
        "busybox", "sh", "-c", "env > /out/env");
    List<String> env = Files.readAllLines(out.resolve("env"));
    assertThat(env).contains("A=1", "B=from flag").noneMatch(l -> l.startsWith("UNSET_ONE_9"));

    jocker.ok("run", "--name", "lab", "--label", "x=y", "--label-file", labelFile.toString(), "--stop-signal", "SIGINT",
        "--stop-timeout", "5", "busybox", "true");
    Path dir;
    try (var s = Files.list(tmp.resolve("root/containers"))) {
      dir = s.findFirst().orElseThrow();
    }
    JsonNode record = new ObjectMapper().readTree(dir.resolve("container.json").toFile());
    assertThat(record.at("/hostConfig/labels/x").asText()).isEqualTo("y");
    assertThat(record.at("/hostConfig/labels/from.file").asText()).isEqualTo("yes");
    assertThat(record.at("/hostConfig/stopSignal").asText()).isEqualTo("SIGINT");
    assertThat(record.at("/hostConfig/stopTimeout").asInt()).isEqualTo(5);
    jocker.ok("rm", "lab");
  }

  @Test
  void volumeCommands() throws Exception {
    assertThat(jocker.ok("volume", "create", "data").out()).isEqualTo("data\n");
    assertThat(jocker.ok("volume", "create", "--label", "k=v", "--name", "other").out()).isEqualTo("other\n");
    String anon = jocker.ok("volume", "create").out().strip();
    assertThat(anon).matches("[0-9a-f]{64}");
    assertThat(jocker.ok("volume", "ls").out()).isEqualTo("DRIVER          VOLUME NAME\n"
        + List.of("data", "other", anon).stream().sorted().map(n -> "local           " + n + "\n")
            .reduce("", String::concat));
    JsonNode inspect = new ObjectMapper().readTree(jocker.ok("volume", "inspect", "other").out());
    assertThat(inspect.size()).isEqualTo(1);
    JsonNode v = inspect.get(0);
    assertThat(v.get("Name").asText()).isEqualTo("other");
    assertThat(v.get("Driver").asText()).isEqualTo("local");
    assertThat(v.get("Scope").asText()).isEqualTo("local");
    assertThat(v.get("Labels").get("k").asText()).isEqualTo("v");
    assertThat(v.get("Mountpoint").asText()).isEqualTo(tmp.resolve("root/volumes/other/_data").toString());
    assertThat(v.get("CreatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(jocker.ok("volume", "inspect", "--format", "{{.Name}} {{.Driver}}", "data").out())
        .isEqualTo("data local\n");
    assertThat(jocker.run("volume", "inspect", "nope").err()).isEqualTo("jocker: get nope: no such volume\n");

    // a volume a container uses cannot be removed, even with -f
    jocker.ok("run", "--name", "user", "-v", "data:/data", "busybox", "sh", "-c", "echo hi > /data/f");
    String id = new ObjectMapper().readTree(Files.list(tmp.resolve("root/containers")).findFirst().orElseThrow()
        .resolve("container.json").toFile()).get("id").asText();
    assertThat(jocker.ok("system", "df").out()).containsPattern("Local Volumes +3 +1 +3B +0B \\(0%\\)");
    Jocker.Result refused = jocker.run("volume", "rm", "-f", "data");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("jocker: remove data: volume is in use - [" + id + "]\n");
    assertThat(tmp.resolve("root/volumes/data/_data/f")).hasContent("hi");
    // prune removes only anonymous volumes (volume create makes named ones), and with -a all unused ones
    assertThat(jocker.ok("volume", "prune", "-f").out()).isEqualTo("Total reclaimed space: 0B\n");
    assertThat(jocker.ok("volume", "prune", "-a", "-f").out()).isEqualTo("Deleted Volumes:\n"
        + List.of(anon, "other").stream().sorted().map(n -> n + "\n").reduce("", String::concat)
        + "\nTotal reclaimed space: 0B\n");
    jocker.ok("rm", "user");
    assertThat(jocker.ok("volume", "rm", "data").out()).isEqualTo("data\n");
    assertThat(jocker.run("volume", "rm", "data").err()).isEqualTo("jocker: get data: no such volume\n");
    assertThat(jocker.ok("volume", "rm", "-f", "data").out()).isEqualTo("data\n");
    assertThat(jocker.ok("volume", "ls", "-q").out()).isEmpty();
    assertThat(tmp.resolve("root/volumes")).isEmptyDirectory();
  }

  @Test
  void rmVolumesRemovesAnonymousVolumesOnly() {
    jocker.ok("run", "--name", "c", "-v", "/anon", "-v", "named:/named", "busybox", "true");
    assertThat(jocker.ok("volume", "ls", "-q").out().lines()).hasSize(2);
    jocker.ok("rm", "-v", "c");
    assertThat(jocker.ok("volume", "ls", "-q").out()).isEqualTo("named\n");
    // without -v the anonymous volume stays, for `system prune --volumes` (which keeps named ones)
    jocker.ok("run", "--name", "d", "-v", "/anon", "busybox", "sh", "-c", "echo 12345 > /anon/f");
    jocker.ok("rm", "d");
    assertThat(jocker.ok("volume", "ls", "-q").out().lines()).hasSize(2);
    assertThat(jocker.ok("system", "prune", "-f", "--volumes").out()).contains("Deleted Volumes:\n")
        .endsWith("Total reclaimed space: 6B\n");
    assertThat(jocker.ok("volume", "ls", "-q").out()).isEqualTo("named\n");
    jocker.ok("volume", "rm", "named");
  }
}
