package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jocker.cli.build.ImageTree.dir;
import static org.jocker.cli.build.ImageTree.file;
import static org.jocker.cli.build.ImageTree.link;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images of `jocker build` as other tools see them (issue 12). Each Dockerfile under the test
 * resources' build-interop/ (its first lines say what it exercises) is built by Jocker, saved,
 * read by `skopeo inspect --raw --config` and unpacked by `umoci unpack` from the OCI layout
 * `skopeo copy` makes of it: the config fields must be what Docker's reference documents for them
 * (written out here, never read back from Jocker) and the files the busybox base's with the
 * Dockerfile's changes (types, modes, owners, contents, link targets; what a RUN removed gone).
 * Debian's `buildah bud` then builds the same Dockerfile from the same busybox and its image must
 * give the same config fields and files, except where Buildah and Docker differ: each such
 * difference is asserted as it is, with a comment, and listed in docs/build-interop.md.
 *
 * <p>Buildah's RUN leaves an empty /etc/hostname and /run (its mount points) in the image where
 * the base had none: those are left out of every comparison.
 */
class BuildInteropTest {
  private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> BUILDAH_RUN_STUBS = List.of("/etc/hostname", "/run");

  @TempDir static Path tmp;
  private static Jocker jocker;
  private static Buildah buildah;
  /** The busybox every Dockerfile starts from, as umoci unpacks it. */
  private static ImageTree busybox;

  /** One Dockerfile's image from Jocker, and from Buildah (null where Buildah cannot build it). */
  private record Built(InspectedImage jocker, InspectedImage buildah) {}

  @BeforeAll
  static void prepareBusyboxForBoth() {
    assumeTrue(Buildah.installed(), "buildah is not installed (scripts/install-deps)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")) && Files.isExecutable(Path.of("/usr/bin/umoci")),
        "skopeo and umoci are not installed (scripts/install-deps)");
    jocker = new Jocker(tmp.resolve("root"));
    jocker.ok("run", "--rm", "busybox", "true"); // makes the built-in busybox
    Path archive = tmp.resolve("busybox.tar");
    jocker.ok("save", "-o", archive.toString(), "busybox");
    busybox = InspectedImage.of(archive, tmp.resolve("busybox")).tree();
    buildah = Buildah.in(tmp.resolve("buildah"));
    buildah.load(archive, "docker.io/library/busybox:latest");
  }

  @AfterAll
  static void removeBuildahsStorage() throws IOException {
    if (buildah != null) {
      buildah.close();
    }
    if (jocker != null) {
      assertThat(jocker.ok("ps", "-a", "-q").out()).isEmpty();
    }
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(tmp.toString());
  }

  @Test
  void multiStage() {
    Built built = build("multi-stage", Map.of(), true);

    // Only the last stage's own config: no STAGE, no WORKDIR from the stages it copied from.
    assertConfig(built.jocker(), "{\"Env\": [\"" + PATH + "\"], \"Cmd\": [\"sh\"]}");
    assertTree(built.jocker(), busybox
        .with("/app", dir(0755, 0, 0))
        .with("/app/keep", file(0644, 0, 0, "one\n"))
        .with("/app/other", file(0644, 0, 0, "two\n"))
        .with("/app/link", link("keep"))
        .with("/app/derived.txt", file(0644, 0, 0, "base derived in /work\n"))
        .with("/app/owned.txt", file(0640, 1000, 1000, "the app\n"))
        .with("/from-index", file(0644, 0, 0, "one\n")));
    assertSameAsBuildah(built, List.of(), List.of());
  }

  @Test
  void whiteoutsRemoveWhatARunDeleted() {
    Built built = build("whiteouts", Map.of(), true);

    assertConfig(built.jocker(), "{\"Env\": [\"" + PATH + "\"], \"Cmd\": [\"sh\"]}");
    assertTree(built.jocker(), busybox.without("/bin/vi")
        .with("/data", dir(0755, 0, 0))
        .with("/data/b", file(0644, 0, 0, "b\n"))
        .with("/data/sub", dir(0755, 0, 0))
        .with("/data/sub/new", file(0644, 0, 0, "new\n")));
    assertSameAsBuildah(built, List.of(), List.of());
  }

  @Test
  void argAndEnv() {
    Built built = build("arg-env", Map.of("FROM_CLI", "given", "VERSION", "v2.0.1", "SHADOWED", "from-cli"), true);

    // The reference: ENV always overrides an ARG of the same name (SHADOWED); an ENV may default
    // to an ARG (VERSION); a name set again keeps its place in Env (HOME_DIR, as BuildKit's addEnv).
    assertConfig(built.jocker(), """
        {"Env": ["%s", "SHADOWED=from-env", "VERSION=v2.0.1", "HOME_DIR=/opt/other", "APP_DIR=/opt/app/bin",
                 "GREETING=hello world", "COPY_OF=/opt/app", "LATE=from-env"],
         "Cmd": ["sh"]}""".formatted(PATH));
    // An ARG after an ENV of the same name (LATE): Docker (BuildKit's dispatchArg) gives RUN the
    // ARG's value, though the reference's "ENV always overrides ARG" reads otherwise; the config
    // keeps the ENV. Buildah gives RUN the ENV's value.
    assertTree(built.jocker(), busybox.with("/args.txt",
        file(0644, 0, 0, "global-default given from-env v2.0.1 /opt/app/bin /opt/app from-arg\n")));
    assertThat(built.buildah().tree().entries().get("/args.txt").content())
        .isEqualTo("global-default given from-env v2.0.1 /opt/app/bin /opt/app from-env\n");
    assertSameAsBuildah(built, List.of(), List.of("/args.txt"));
  }

  @Test
  void heredocs() {
    // Debian 12's buildah (1.28) has no heredocs: it reads their lines as instructions.
    Built built = build("heredocs", Map.of(), false);

    assertConfig(built.jocker(), "{\"Env\": [\"" + PATH + "\"], \"Cmd\": [\"sh\"]}");
    // A heredoc with a shebang is a file BuildKit runs: $0 is its path (and nothing is left of it).
    assertTree(built.jocker(), busybox
        .with("/hd", dir(0755, 0, 0))
        .with("/hd/run.txt", file(0644, 0, 0, "hello world\n"))
        .with("/hd/script.txt", file(0644, 0, 0, "from a script: /dev/pipes/EOF\n"))
        .with("/hd/awk.txt", file(0644, 0, 0, "from awk\n"))
        .with("/hd/expanded.txt", file(0644, 0, 0, "name=world\n"))
        .with("/hd/literal.txt", file(0644, 0, 0, "name=$NAME\n"))
        .with("/hd/tabs.txt", file(0644, 0, 0, "tabs\n")));
  }

  @Test
  void cacheAndTmpfsMounts() {
    Built built = build("cache-mounts", Map.of(), true);

    assertConfig(built.jocker(), "{\"Env\": [\"" + PATH + "\"], \"Cmd\": [\"sh\"]}");
    // The mounts' content and their mount points are in no layer (BuildKit removes the stubs).
    assertTree(built.jocker(), busybox
        .with("/from-cache", file(0644, 0, 0, "cached\n"))
        .with("/owned-stat", file(0644, 0, 0, "1000:1000 700\n"))
        .with("/tmp-listing", file(0644, 0, 0, "x\n")));
    // Buildah keeps the mount points, as empty directories.
    List<String> mountPoints = List.of("/tmp/cache", "/tmp/owned", "/tmp/scratch");
    for (String p : mountPoints) {
      assertThat(built.buildah().tree().entries().get(p)).as(p).isEqualTo(dir(0755, 0, 0));
    }
    assertSameAsBuildah(built, List.of(), mountPoints);
  }

  @Test
  void shellFormEntrypointUserAndWorkdir() {
    Built built = build("entrypoint-shell", Map.of(), true);

    // The reference: the shell form is /bin/sh -c; ENTRYPOINT resets a CMD of the base image.
    assertConfig(built.jocker(), """
        {"Env": ["%s", "BASE=/srv"], "Entrypoint": ["/bin/sh", "-c", "exec echo \\"entry $0\\""],
         "User": "1000:1000", "WorkingDir": "/empty/dir"}""".formatted(PATH));
    // WORKDIR makes its directory even when nothing uses it (the reference), owned by the USER
    // (BuildKit makes it with the stage's user, each missing parent too).
    assertTree(built.jocker(), busybox
        .with("/srv", dir(0755, 0, 0))
        .with("/srv/app", dir(0755, 0, 0))
        .with("/srv/app/data", dir(0755, 1000, 1000))
        .with("/srv/app/data/mine.txt", file(0644, 1000, 1000, "mine\n"))
        .with("/tmp/uid", file(0644, 1000, 1000, "1000\n"))
        .with("/empty", dir(0755, 1000, 1000))
        .with("/empty/dir", dir(0755, 1000, 1000)));
    // Buildah makes a WORKDIR only for a later instruction that needs it.
    assertThat(built.buildah().tree().entries()).doesNotContainKeys("/empty", "/empty/dir");
    assertSameAsBuildah(built, List.of(), List.of("/empty", "/empty/dir"));
  }

  @Test
  void execFormEntrypointWithCmdUserByName() {
    Built built = build("entrypoint-exec", Map.of(), true);

    // A CMD of the stage itself stays when ENTRYPOINT follows (only the base image's is reset).
    assertConfig(built.jocker(), """
        {"Env": ["%s"], "Cmd": ["--help"], "Entrypoint": ["/bin/echo", "args:"], "User": "app",
         "WorkingDir": "/home/app/work"}""".formatted(PATH));
    String passwd = busybox.entries().get("/etc/passwd").content();
    String group = busybox.entries().get("/etc/group").content();
    assertTree(built.jocker(), busybox
        .with("/etc/passwd", file(0644, 0, 0, passwd + "app:x:1234:1234:app:/home/app:/bin/sh\n"))
        .with("/etc/group", file(0644, 0, 0, group + "app:x:1234:\n"))
        .with("/home/app", dir(0755, 1234, 1234))
        .with("/home/app/work", dir(0755, 1234, 1234))
        .with("/home/app/work/made-by-app", file(0644, 1234, 1234, "")));
    assertSameAsBuildah(built, List.of(), List.of());
  }

  @Test
  void configOnlyInstructions() {
    Built built = build("metadata", Map.of(), true);

    // The reference: EXPOSE defaults to tcp and a range exposes each port; LABEL's later value
    // wins; VOLUME makes no directory; SHELL changes the shell form of CMD; HEALTHCHECK's
    // durations in nanoseconds.
    assertConfig(built.jocker(), """
        {"Env": ["%s"], "Cmd": ["/bin/sh", "-ec", "echo \\"$0 $-\\""],
         "ExposedPorts": {"80/tcp": {}, "53/udp": {}, "8080/tcp": {}, "9000/tcp": {}, "9001/tcp": {}},
         "Labels": {"a": "2", "b c": "d e", "version": "8080"},
         "Volumes": {"/data": {}, "/logs": {}, "/cache": {}, "/var/spool": {}},
         "StopSignal": "SIGQUIT",
         "Healthcheck": {"Test": ["CMD-SHELL", "wget -q -O- http://127.0.0.1/ || exit 1"], "Interval": 30000000000,
                         "Timeout": 5000000000, "StartPeriod": 10000000000, "Retries": 4}}""".formatted(PATH));
    assertTree(built.jocker(), busybox);
    // Buildah keeps a port range as one key, and ignores SHELL for CMD's shell form.
    ObjectNode buildahFields = built.buildah().fields();
    assertThat(buildahFields.get("ExposedPorts").has("9000-9001/tcp")).isTrue();
    assertThat(buildahFields.get("Cmd").get(1).asText()).isEqualTo("-c");
    assertSameAsBuildah(built, List.of("ExposedPorts", "Cmd"), List.of());
  }

  /** Builds {@code name}'s Dockerfile with Jocker (and Buildah), saves and inspects the images. */
  private static Built build(String name, Map<String, String> buildArgs, boolean withBuildah) {
    Path context = resource("build-interop/" + name);
    String tag = "interop-" + name;
    List<String> args = new ArrayList<>(List.of("build", "-q", "-t", tag));
    buildArgs.forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
    args.add(context.toString());
    jocker.ok(args.toArray(String[]::new));
    Path out = tmp.resolve(name);
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path archive = out.resolve("jocker.tar");
    jocker.ok("save", "-o", archive.toString(), tag);
    InspectedImage fromJocker = InspectedImage.of(archive, out.resolve("jocker"));
    if (!withBuildah) {
      return new Built(fromJocker, null);
    }
    buildah.build(context, tag, buildArgs);
    Path buildahArchive = out.resolve("buildah.tar");
    buildah.save(tag, buildahArchive);
    return new Built(fromJocker, InspectedImage.of(buildahArchive, out.resolve("buildah")));
  }

  private static Path resource(String name) {
    try {
      return Path.of(BuildInteropTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertConfig(InspectedImage image, String expected) {
    assertThat(image.fields()).isEqualTo(InspectedImage.json(expected));
  }

  private static void assertTree(InspectedImage image, ImageTree expected) {
    assertThat(expected.differencesFrom(image.tree())).as("expected (-) and unpacked (+) entries").isEmpty();
  }

  /**
   * Buildah's image has Jocker's config fields and files, but for the {@code fields} and
   * {@code paths} where the two differ (each test asserts those as they are).
   */
  private static void assertSameAsBuildah(Built built, List<String> fields, List<String> paths) {
    ObjectNode mine = built.jocker().fields().remove(fields);
    ObjectNode theirs = built.buildah().fields().remove(fields);
    assertThat(theirs).as("Buildah's config").isEqualTo(mine);
    ImageTree jockerTree = built.jocker().tree();
    ImageTree buildahTree = built.buildah().tree();
    for (String stub : BUILDAH_RUN_STUBS) {
      if (!jockerTree.entries().containsKey(stub)) {
        buildahTree = buildahTree.withoutEmpty(stub);
      }
    }
    for (String path : paths) {
      jockerTree = jockerTree.entries().containsKey(path) ? jockerTree.without(path) : jockerTree;
      buildahTree = buildahTree.entries().containsKey(path) ? buildahTree.without(path) : buildahTree;
    }
    assertThat(jockerTree.differencesFrom(buildahTree)).as("Jocker's (-) and Buildah's (+) entries").isEmpty();
  }
}
