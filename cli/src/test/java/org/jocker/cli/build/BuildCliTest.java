package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.ResidentEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * `jocker build` on the real kernel: stages, RUN in real containers (whiteouts of what it
 * deletes), COPY from the context and from a stage, the config and history the image gets, the
 * failures Docker reports, and that a build leaves no container, mount, snapshot or process.
 */
class BuildCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MULTI_STAGE = """
      FROM busybox AS base
      RUN mkdir -p /data && echo one > /data/keep && echo two > /data/gone

      FROM base AS tools
      ARG MESSAGE=default
      RUN echo "$MESSAGE" > /data/message && rm /data/gone /bin/vi
      RUN <<EOT
      echo "from a heredoc" > /data/heredoc
      EOT

      FROM busybox AS unused
      RUN echo never-run-stage && exit 99

      FROM tools
      ENV APP_HOME=/srv/app GREETING="hello world"
      WORKDIR $APP_HOME
      COPY app.txt conf/ ./
      COPY --from=base /data/keep /from-base/keep
      COPY --from=0 /data/k* /from-base/glob/
      COPY --chown=1000:1000 --chmod=640 app.txt owned.txt
      USER 1000:1000
      EXPOSE 8080 53/udp
      LABEL org.example.kind=test
      VOLUME /cache
      STOPSIGNAL SIGINT
      SHELL ["/bin/sh", "-ec"]
      RUN echo "shell: $0 $-" > /tmp/shell
      HEALTHCHECK --interval=5s --retries=2 CMD cat app.txt
      ONBUILD RUN echo child > /tmp/child
      CMD ["-c", "cat app.txt"]
      ENTRYPOINT ["/bin/sh"]
      """;

  @AfterEach
  void nothingOfTheBuildIsLeft() throws IOException {
    assertThat(jocker.mountsLeft()).isEmpty();
    Path builds = jocker.root().resolve("builds");
    if (Files.isDirectory(builds)) {
      try (Stream<Path> left = Files.list(builds)) {
        assertThat(left.filter(Files::isDirectory)).as("build sandboxes").isEmpty(); // .lock stays
      }
    }
    for (JsonNode snapshot : snapshots()) {
      assertThat(snapshot.get("kind").asText()).as("snapshot %s", snapshot.get("key")).isEqualTo("COMMITTED");
    }
    assertThat(jocker.ok("ps", "-a", "-q").out()).isEmpty();
  }

  @Test
  void multiStageBuildGivesTheFilesConfigAndHistory() throws IOException {
    Path context = context(MULTI_STAGE);
    Files.writeString(context.resolve("app.txt"), "the app\n");
    Files.createDirectories(context.resolve("conf"));
    Files.writeString(context.resolve("conf/a.conf"), "a=1\n");
    Files.writeString(context.resolve("conf/secret.conf"), "not for the image\n");
    Files.writeString(context.resolve(".dockerignore"), "conf/secret*\n");
    Files.createDirectories(context.resolve("conf/sub"));
    Files.writeString(context.resolve("conf/sub/b.conf"), "b=2\n");
    Files.setLastModifiedTime(context.resolve("conf/sub"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));

    Jocker.Result build = jocker.run("build", "-t", "built:1", "--build-arg", "MESSAGE=from-arg", "--label",
        "extra=1", context.toString());

    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.err())
        .contains("#1 [internal] load build definition from Dockerfile")
        .contains("[tools 2/3] RUN echo \"$MESSAGE\" > /data/message && rm /data/gone /bin/vi")
        .contains("[stage-3 3/7] COPY app.txt conf/ ./")
        .contains("naming to docker.io/library/built:1 done")
        .doesNotContain("never-run-stage"); // the target does not need that stage
    assertThat(build.out()).isEmpty();

    assertThat(jocker.ok("run", "--rm", "built:1").out()).isEqualTo("the app\n");
    String inside = jocker.ok("run", "--rm", "--entrypoint", "sh", "built:1", "-c",
        "cat /data/message /data/heredoc; ls /data; test -e /bin/vi || echo no-vi; cat a.conf /from-base/keep /from-base/glob/keep;"
            + " test -e secret.conf || echo no-secret; stat -c %Y sub; stat -c '%u:%g %a' owned.txt; id -u; pwd; echo $GREETING;"
            + " cat /tmp/shell").out();
    assertThat(inside).isEqualTo("from-arg\nfrom a heredoc\nheredoc\nkeep\nmessage\nno-vi\na=1\none\none\nno-secret\n1000000000\n1000:1000 640\n1000\n"
        + "/srv/app\nhello world\nshell: /bin/sh ce\n");

    JsonNode config = JSON.readTree(jocker.ok("image", "inspect", "--format", "{{json .Config}}", "built:1").out());
    assertThat(texts(config.get("Env"))).containsSubsequence("APP_HOME=/srv/app", "GREETING=hello world");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv/app");
    assertThat(config.get("User").asText()).isEqualTo("1000:1000");
    assertThat(texts(config.get("Entrypoint"))).containsExactly("/bin/sh");
    assertThat(texts(config.get("Cmd"))).containsExactly("-c", "cat app.txt");
    assertThat(fieldNames(config.get("ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "53/udp");
    assertThat(config.get("Labels").get("org.example.kind").asText()).isEqualTo("test");
    assertThat(config.get("Labels").get("extra").asText()).isEqualTo("1");
    assertThat(fieldNames(config.get("Volumes"))).containsExactly("/cache");
    assertThat(config.get("StopSignal").asText()).isEqualTo("SIGINT");
    assertThat(texts(config.get("Shell"))).containsExactly("/bin/sh", "-ec");
    assertThat(texts(config.get("Healthcheck").get("Test"))).containsExactly("CMD-SHELL", "cat app.txt");
    assertThat(config.get("Healthcheck").get("Interval").asLong()).isEqualTo(5_000_000_000L);
    assertThat(config.get("Healthcheck").get("Retries").asInt()).isEqualTo(2);
    assertThat(texts(config.get("OnBuild"))).containsExactly("RUN echo child > /tmp/child");

    List<String> history = new ArrayList<>();
    List<Boolean> empty = new ArrayList<>();
    for (JsonNode h : imageConfig("built:1").get("history")) {
      history.add(h.get("created_by").asText());
      empty.add(h.path("empty_layer").asBoolean(false));
    }
    assertThat(history).containsSubsequence(
        "RUN /bin/sh -c mkdir -p /data && echo one > /data/keep && echo two > /data/gone # buildkit",
        "ARG MESSAGE=from-arg",
        "RUN |1 MESSAGE=from-arg /bin/sh -c echo \"$MESSAGE\" > /data/message && rm /data/gone /bin/vi # buildkit",
        "ENV APP_HOME=/srv/app GREETING=hello world",
        "WORKDIR /srv/app # buildkit",
        "COPY app.txt conf/ ./ # buildkit",
        "USER 1000:1000",
        "EXPOSE 8080/tcp 53/udp",
        "SHELL [/bin/sh -ec]",
        // a stage FROM another inherits its ARGs, as BuildKit's do
        "RUN |1 MESSAGE=from-arg /bin/sh -ec echo \"shell: $0 $-\" > /tmp/shell # buildkit",
        "CMD [\"-c\" \"cat app.txt\"]",
        "ENTRYPOINT [\"/bin/sh\"]");
    assertThat(empty.get(history.indexOf("USER 1000:1000"))).isTrue();
    assertThat(empty.get(history.indexOf("COPY app.txt conf/ ./ # buildkit"))).isFalse();

    // An image built FROM it runs its ONBUILD trigger first, and does not keep it.
    Files.writeString(context.resolve("Dockerfile.child"), "FROM built:1\n");
    jocker.ok("build", "-q", "-t", "child", "-f", context.resolve("Dockerfile.child").toString(), context.toString());
    assertThat(jocker.ok("run", "--rm", "--entrypoint", "cat", "child", "/tmp/child").out()).isEqualTo("child\n");
    assertThat(jocker.ok("image", "inspect", "--format", "{{json .Config.OnBuild}}", "child").out().strip())
        .isEqualTo("null");

    // The RUN that deleted files wrote whiteouts into its layer (what save, push and other hosts get).
    assertThat(layerEntries("built:1")).contains("data/.wh.gone", "bin/.wh.vi");
  }

  @Test
  void independentStagesBuildAtTheSameTime() throws IOException {
    // each RUN notes the host's uptime when it starts and ends (one clock for all containers)
    String run = "RUN cut -d' ' -f1 /proc/uptime > /start && sleep 2 && cut -d' ' -f1 /proc/uptime > /end\n";
    Path context = context("FROM busybox AS a\n" + run + "FROM busybox AS b\n" + run
        + "FROM scratch\nCOPY --from=a /start /a.start\nCOPY --from=a /end /a.end\n"
        + "COPY --from=b /start /b.start\nCOPY --from=b /end /b.end\n");

    Jocker.Result build = jocker.run("build", "-t", "parallel", context.toString());

    assertThat(build.code()).as(build.err()).isZero();
    Path out = Files.createDirectories(tmp.resolve("parallel"));
    jocker.ok("save", "-o", out.resolve("image.tar").toString(), "parallel");
    Jocker.tool(out, "tar", "-xf", "image.tar");
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) {
      Jocker.tool(out, "tar", "-xf", layer.asText());
    }
    double aStart = uptime(out.resolve("a.start"));
    double aEnd = uptime(out.resolve("a.end"));
    double bStart = uptime(out.resolve("b.start"));
    double bEnd = uptime(out.resolve("b.end"));
    assertThat(aStart).as("a started before b ended").isLessThan(bEnd);
    assertThat(bStart).as("b started before a ended").isLessThan(aEnd);
  }

  private static double uptime(Path file) throws IOException {
    return Double.parseDouble(Files.readString(file).strip());
  }

  @Test
  void aFailingRunFailsTheBuildWithDockersMessageAndTagsNothing() throws IOException {
    Path context = context("""
        FROM busybox
        RUN echo before
        RUN sleep 4242 & echo partial output; exit 3
        RUN echo never
        """);

    Jocker.Result build = jocker.run("build", "-t", "broken", context.toString());

    assertThat(build.code()).isEqualTo(1);
    assertThat(build.err())
        .contains("partial output")
        .contains(" > [3/4] RUN sleep 4242 & echo partial output; exit 3:")
        .contains("Dockerfile:3")
        .contains("   3 | >>> RUN sleep 4242 & echo partial output; exit 3")
        .endsWith("ERROR: failed to solve: process \"/bin/sh -c sleep 4242 & echo partial output; exit 3\""
            + " did not complete successfully: exit code: 3\n")
        .doesNotContain("] RUN echo never");
    assertThat(jocker.ok("images", "--format", "{{.Repository}}").out()).doesNotContain("broken");
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("sleep 4242"))).as("the RUN's processes").isEmpty();
  }

  @Test
  void anInterruptedBuildStopsItsRunAndLeavesNothing() throws Exception {
    Path context = context("FROM busybox\nRUN echo started; sleep 4243\n");
    Path stderr = tmp.resolve("stderr");
    Process build = jocker.process("build", "-t", "stopped", context.toString())
        .redirectError(stderr.toFile()).start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    java.util.regex.Pattern started = java.util.regex.Pattern.compile("#\\d+ [0-9.]+ started");
    while (!(Files.exists(stderr) && started.matcher(Files.readString(stderr)).find())) {
      assertThat(System.nanoTime()).as("the RUN to start").isLessThan(deadline);
      Thread.sleep(50);
    }

    build.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the build is canceled

    assertThat(build.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(build.exitValue()).isEqualTo(1);
    assertThat(Files.readString(stderr)).contains(" CANCELED").endsWith("ERROR: failed to solve: Canceled: context canceled\n");
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("sleep 4243"))).as("the RUN's processes").isEmpty();
    assertThat(jocker.ok("images", "--format", "{{.Repository}}").out()).doesNotContain("stopped");
  }

  @Test
  void aContextOnStdinIsATarOrADockerfileAlone() throws IOException {
    Path context = context("FROM busybox\nCOPY f /f\n");
    Files.writeString(context.resolve("f"), "from the tar\n");
    Path tar = tmp.resolve("context.tar");
    Jocker.tool(context, "tar", "-cf", tar.toString(), ".");

    String fromTar = withStdin(tar, () -> jocker.run("build", "-q", "-"));
    Files.writeString(tmp.resolve("alone"), "FROM busybox\nRUN echo alone > /f\n");
    String alone = withStdin(tmp.resolve("alone"), () -> jocker.run("build", "-q", "-"));

    assertThat(jocker.ok("run", "--rm", fromTar.strip(), "cat", "/f").out()).isEqualTo("from the tar\n");
    assertThat(jocker.ok("run", "--rm", alone.strip(), "cat", "/f").out()).isEqualTo("alone\n");
    try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("jocker-build-context-"))
          .filter(p -> p.toFile().lastModified() >= tar.toFile().lastModified())).as("received contexts").isEmpty();
    }
  }

  /** An in-process build reading {@code input} as its stdin (as `jocker build -` does); its stdout. */
  private static String withStdin(Path input, java.util.function.Supplier<Jocker.Result> build) throws IOException {
    java.io.InputStream saved = System.in;
    try (java.io.InputStream in = Files.newInputStream(input)) {
      System.setIn(in);
      Jocker.Result result = build.get();
      assertThat(result.code()).as(result.err()).isZero();
      return result.out();
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void theResidentEngineBuildsWithTheCallersOutput() throws Exception {
    Path context = context("FROM busybox\nRUN echo through the engine\nRUN exit 7\n");
    Files.writeString(context.resolve("Dockerfile.ok"), "FROM busybox\nRUN echo through the engine\n");

    try (ResidentEngine engine = ResidentEngine.start(tmp.resolve("engine"), jocker.root())) {
      Jocker.Result ok = engine.run("build", "-f", context.resolve("Dockerfile.ok").toString(), "-t", "served",
          context.toString());
      Jocker.Result failed = engine.run("build", context.toString());

      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.err()).containsPattern("#5 [0-9.]+ through the engine\n#5 DONE");
      assertThat(failed.code()).isEqualTo(1);
      assertThat(failed.err()).endsWith("did not complete successfully: exit code: 7\n");
    }
  }

  @Test
  void aCopyOfAMissingFileNamesIt() throws IOException {
    Path context = context("FROM busybox\nCOPY missing.txt /x\n");

    Jocker.Result build = jocker.run("build", "-t", "broken", context.toString());

    assertThat(build.code()).isEqualTo(1);
    assertThat(build.err())
        .contains("   2 | >>> COPY missing.txt /x")
        .contains("ERROR: failed to solve: failed to compute cache key: \"/missing.txt\": not found");
    assertThat(jocker.ok("images", "--format", "{{.Repository}}").out()).doesNotContain("broken");
  }

  @Test
  void quietPrintsOnlyTheImageIdAndAddExtractsALocalArchive() throws IOException {
    Path context = context("FROM scratch\nCOPY <<EOF /hello\nhi\nEOF\nADD files.tgz /opt/\nCMD [\"/hello\"]\n");
    Files.createDirectories(tmp.resolve("tree/sub"));
    Files.writeString(tmp.resolve("tree/sub/in.txt"), "in a tar\n");
    Jocker.tool(tmp.resolve("tree"), "tar", "-czf", context.resolve("files.tgz").toString(), "sub");
    Path iid = tmp.resolve("iid");

    Jocker.Result build = jocker.run("build", "-q", "--iidfile", iid.toString(), context.toString());

    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.err()).isEmpty();
    assertThat(build.out()).matches("sha256:[0-9a-f]{64}\n").isEqualTo(Files.readString(iid) + "\n");
    // the heredoc as a file, then ADD's archive extracted (not copied as the .tgz)
    assertThat(layerEntries(build.out().strip())).containsExactly("hello", "opt", "opt/sub", "opt/sub/in.txt");
  }

  private Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }

  /** The image's config document, as stored. */
  private JsonNode imageConfig(String image) throws IOException {
    String id = jocker.ok("image", "inspect", "--format", "{{.Id}}", image).out().strip();
    return JSON.readTree(jocker.root().resolve("content/blobs/sha256").resolve(id.substring("sha256:".length())).toFile());
  }

  /** Every entry of every layer of the image, as `save` writes them. */
  private List<String> layerEntries(String image) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("saved-" + Math.abs(image.hashCode())));
    jocker.ok("save", "-o", dir.resolve("image.tar").toString(), image);
    Jocker.tool(dir, "tar", "-xf", "image.tar");
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
    List<String> entries = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      Jocker.tool(dir, "tar", "-tf", layer.asText()).lines().map(e -> e.replaceAll("^\\./|/$", ""))
          .filter(e -> !e.isEmpty()).forEach(entries::add);
    }
    return entries;
  }

  private List<JsonNode> snapshots() throws IOException {
    Path dir = jocker.root().resolve("snapshots/snapshots");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path s : list.toList()) {
        Path meta = s.resolve("meta.json");
        if (Files.exists(meta)) {
          out.add(JSON.readTree(meta.toFile()));
        }
      }
    }
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
