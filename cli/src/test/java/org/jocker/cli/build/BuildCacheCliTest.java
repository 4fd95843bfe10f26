package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.Test;

/**
 * The build cache on the real kernel: an unchanged rebuild reuses every step (same image), a
 * copied file's content (not its mtime) and a build arg decide which steps run again, --no-cache
 * runs all, and builder prune empties the cache.
 */
class BuildCacheCliTest extends CliTestBase {
  private static final Pattern STEP = Pattern.compile("^#(\\d+) (\\[\\d+/\\d+\\] .*)$", Pattern.MULTILINE);
  private static final Pattern CACHED = Pattern.compile("^#(\\d+) CACHED$", Pattern.MULTILINE);

  private static final String DOCKERFILE = """
      FROM busybox
      RUN echo first > /first
      COPY src/ /src/
      RUN cat /src/a /src/b > /all
      ARG FLAVOUR=plain
      RUN echo "$FLAVOUR" > /flavour
      """;
  private static final String FIRST = "[2/5] RUN echo first > /first";
  private static final String COPY = "[3/5] COPY src/ /src/";
  private static final String CAT = "[4/5] RUN cat /src/a /src/b > /all";
  private static final String ECHO = "[5/5] RUN echo \"$FLAVOUR\" > /flavour";
  private static final List<String> ALL = List.of(FIRST, COPY, CAT, ECHO);

  @Test
  void contentNotMtimeAndBuildArgsDecideWhatRunsAgain() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    Files.createDirectories(context.resolve("src"));
    Files.writeString(context.resolve("src/a"), "a\n");
    Files.writeString(context.resolve("src/b"), "b\n");

    Build cold = build(context);
    assertThat(cold.cached()).isEmpty();
    Build warm = build(context);
    assertThat(warm.cached()).containsExactlyElementsOf(ALL);
    assertThat(warm.id()).isEqualTo(cold.id());

    Files.setLastModifiedTime(context.resolve("src/a"), FileTime.fromMillis(1_000_000_000_000L));
    Build touched = build(context);
    assertThat(touched.cached()).as("only an mtime changed").containsExactlyElementsOf(ALL);
    assertThat(touched.id()).isEqualTo(cold.id());

    Files.writeString(context.resolve("src/b"), "B\n");
    Build changed = build(context);
    assertThat(changed.cached()).containsExactly(FIRST);
    assertThat(jocker.ok("run", "--rm", changed.id(), "cat", "/all").out()).isEqualTo("a\nB\n");

    Build flavoured = build(context, "--build-arg", "FLAVOUR=spicy");
    assertThat(flavoured.cached()).containsExactly(FIRST, COPY, CAT);
    assertThat(jocker.ok("run", "--rm", flavoured.id(), "cat", "/flavour").out()).isEqualTo("spicy\n");

    Build noCache = build(context, "--no-cache");
    assertThat(noCache.cached()).isEmpty();
    assertThat(noCache.ran()).containsExactlyElementsOf(ALL);
  }

  @Test
  void builderPruneEmptiesTheCacheButKeepsWhatImagesUse() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n");
    assertThat(build(context, "-t", "kept").ran()).hasSize(2);
    assertThat(build(context).cached()).hasSize(2);
    Files.writeString(context.resolve("Dockerfile.other"), "FROM busybox\nRUN echo other > /other\n");
    assertThat(build(context, "-f", context.resolve("Dockerfile.other").toString()).ran()).hasSize(1);

    Jocker.Result system = jocker.run("system", "prune", "-f");
    assertThat(system.code()).as(system.err()).isZero();
    assertThat(system.out()).as("the dangling image's step goes, the tagged image's stay")
        .containsPattern("Deleted build cache objects:\n[0-9a-f]{25}\n\nTotal reclaimed space: ");
    assertThat(build(context).cached()).hasSize(2);

    Jocker.Result pruned = jocker.run("builder", "prune", "-a", "-f");

    assertThat(pruned.code()).as(pruned.err()).isZero();
    assertThat(pruned.out()).startsWith("Deleted build cache objects:\n").containsPattern("\nTotal reclaimed space: .+\n$");
    assertThat(jocker.ok("run", "--rm", "kept", "cat", "/one", "/two").out()).isEqualTo("one\ntwo\n");
    Build after = build(context);
    assertThat(after.cached()).isEmpty();
    assertThat(after.ran()).hasSize(2);
    Jocker.Result badFilter = jocker.run("builder", "prune", "-f", "--filter", "color=red");
    assertThat(badFilter.code()).isNotZero();
    assertThat(badFilter.err()).contains("invalid filter 'color=red'").doesNotContain("Exception");
  }

  @Test
  void cacheMountsKeepTheirContentTmpfsAndBindMountsDoNotReachTheImage() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        ARG N
        RUN --mount=type=cache,target=/var/cache/app echo "$N" >> /var/cache/app/log && cat /var/cache/app/log > /seen
        RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && grep -q " /scratch tmpfs " /proc/mounts
        RUN --mount=type=bind,source=conf,target=/conf cat /conf/a > /conf-a && ! touch /conf/b 2>/dev/null
        """);
    Files.createDirectories(context.resolve("conf"));
    Files.writeString(context.resolve("conf/a"), "from the context\n");

    String first = build(context, "--build-arg", "N=1").id();
    String second = build(context, "--build-arg", "N=2").id();
    assertThat(jocker.ok("run", "--rm", first, "cat", "/seen").out()).isEqualTo("1\n");
    assertThat(jocker.ok("run", "--rm", second, "cat", "/seen").out()).isEqualTo("1\n2\n");
    assertThat(jocker.ok("run", "--rm", second, "sh", "-c",
        "cat /conf-a; for p in /var/cache/app /scratch /conf; do test -e $p && echo stub $p; done; true").out())
        .as("mount points are not in the image").isEqualTo("from the context\n");

    Files.writeString(context.resolve("conf/a"), "changed\n");
    Build changed = build(context, "--build-arg", "N=2");
    assertThat(changed.ran()).containsExactly("[4/4] RUN --mount=type=bind,source=conf,target=/conf cat /conf/a > /conf-a"
        + " && ! touch /conf/b 2>/dev/null");

    jocker.ok("builder", "prune", "-a", "-f");
    String afterPrune = build(context, "--build-arg", "N=3").id();
    assertThat(jocker.ok("run", "--rm", afterPrune, "cat", "/seen").out()).isEqualTo("3\n");
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  @Test
  void theConfiguredSizeLimitKeepsTheCacheSmallButNotTheImages() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo one > /one && head -c 100000 /dev/urandom > /big\n");
    Path config = Files.writeString(tmp.resolve("daemon.json"),
        "{\"builder\": {\"gc\": {\"enabled\": true, \"defaultKeepStorage\": \"1k\"}}}");

    assertThat(build(context, "-t", "limited").ran()).hasSize(1);
    assertThat(build(context).cached()).as("under no limit").hasSize(1);
    jocker.ok("--config-file", config.toString(), "build", "-q", context.toString());

    assertThat(build(context).ran()).as("the limit removed the record").hasSize(1);
    assertThat(jocker.ok("run", "--rm", "limited", "cat", "/one").out()).isEqualTo("one\n");
  }

  @Test
  void secretsReachOnlyTheRunThatMountsThem() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        RUN --mount=type=secret,id=token,required=true test "$(cat /run/secrets/token)" = s3cret \\
            && stat -c %a:%u /run/secrets/token > /mode
        RUN --mount=type=secret,id=token,env=TOKEN,mode=0440,uid=7 test "$TOKEN" = s3cret && echo env-ok > /env
        RUN --mount=type=secret,id=absent cat /run/secrets/absent 2>/dev/null || echo skipped > /absent
        """);
    Path secret = Files.writeString(tmp.resolve("token.txt"), "s3cret");

    Jocker.Result missing = jocker.run("build", "-q", context.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("secret token: not found");

    Build built = build(context, "--secret", "id=token,src=" + secret);
    assertThat(jocker.ok("run", "--rm", built.id(), "sh", "-c",
        "cat /mode /env /absent; test -e /run/secrets && echo stub;"
            + " grep -rl s3cret /bin /etc /root /run /tmp /var /mode /env /absent 2>/dev/null; true")
        .out()).isEqualTo("400:0\nenv-ok\nskipped\n");
    Jocker.Result badFlag = jocker.run("build", "--secret", "src=" + secret, context.toString());
    assertThat(badFlag.code()).isEqualTo(1);
    assertThat(badFlag.err()).isEqualTo("ERROR: invalid secret src=" + secret + ": id is required\n");
  }

  /** One build's plain output: which numbered steps ran, which were cached, and the image ID. */
  private record Build(List<String> ran, List<String> cached, String id) {}

  private Build build(Path context, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain", "--iidfile",
        tmp.resolve("iid").toString()));
    args.addAll(List.of(flags));
    args.add(context.toString());
    Jocker.Result result = jocker.run(args.toArray(String[]::new));
    assertThat(result.code()).as(result.err()).isZero();
    Map<String, String> names = new HashMap<>();
    List<String> order = new ArrayList<>();
    Matcher step = STEP.matcher(result.err());
    while (step.find()) {
      if (names.putIfAbsent(step.group(1), step.group(2)) == null && !step.group(2).startsWith("[1/")) {
        order.add(step.group(1));
      }
    }
    List<String> cached = new ArrayList<>();
    Matcher hit = CACHED.matcher(result.err());
    while (hit.find()) {
      cached.add(names.get(hit.group(1)));
    }
    List<String> ran = order.stream().map(names::get).filter(n -> !cached.contains(n)).toList();
    try {
      return new Build(ran, cached, Files.readString(tmp.resolve("iid")).strip());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
