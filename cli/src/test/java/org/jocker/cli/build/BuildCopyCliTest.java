package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * COPY and ADD's filters on the real kernel: --exclude (Docker's patterns, relative to each copied
 * directory, repeatable, part of the cache key) and COPY --parents (the parents kept, with globs,
 * {@code **} and the {@code ./} pivot, from the context and from a stage). Images are built FROM
 * scratch and read back from `save`.
 */
class BuildCopyCliTest extends CliTestBase {
  private ScratchBuilds builds;

  @BeforeEach
  void builds() {
    builds = new ScratchBuilds(jocker, tmp);
  }

  @Test
  void excludeLeavesOutWhatItsPatternsName() throws IOException {
    Path context = builds.context("""
        FROM scratch
        COPY --exclude=*.txt --exclude=sub dir /one/
        COPY --exclude=*.txt hom* /two/
        ADD --exclude=*.md --exclude=sub --exclude=!sub/keep.md dir /three/
        COPY --exclude=* dir /four
        COPY --exclude=dir/sub/*.md dir/a.txt dir/sub/keep.md /five/
        """);
    file(context, "dir/a.txt", "a");
    file(context, "dir/b.md", "b");
    file(context, "dir/sub/c.txt", "c");
    file(context, "dir/sub/keep.md", "keep");
    file(context, "dir/sub/drop.md", "drop");
    file(context, "homfile.txt", "h");
    file(context, "homfile.go", "g");
    file(context, "homdir/x.txt", "x");
    file(context, "homdir/y.go", "y");

    Path root = builds.extract(builds.buildId(context), "excluded");

    assertThat(tree(root.resolve("one"))).containsExactly("b.md");
    // a file the wildcard names is left out by its name; a directory's contents by their paths in it
    assertThat(tree(root.resolve("two"))).containsExactly("homfile.go", "y.go");
    // an exception brings back a file below a directory it had to make, with that directory
    assertThat(tree(root.resolve("three"))).containsExactly("a.txt", "sub", "sub/keep.md");
    assertThat(tree(root.resolve("four"))).isEmpty();
    assertThat(Files.isDirectory(root.resolve("four"))).isTrue();
    assertThat(tree(root.resolve("five"))).containsExactly("a.txt"); // a named file by its path
  }

  @Test
  void aNamedSymlinkIsCopiedAsWhatItPointsToUnderItsOwnName() throws IOException {
    Path context = builds.context("FROM scratch\nCOPY link /d/\nCOPY dirlink /e/\n");
    file(context, "target.txt", "pointed at");
    file(context, "real/inside.txt", "in");
    Files.createSymbolicLink(context.resolve("link"), Path.of("target.txt"));
    Files.createSymbolicLink(context.resolve("dirlink"), Path.of("real"));

    Path root = builds.extract(builds.buildId(context), "links");

    assertThat(tree(root.resolve("d"))).containsExactly("link");
    assertThat(root.resolve("d/link")).isRegularFile().hasContent("pointed at");
    assertThat(tree(root.resolve("e"))).containsExactly("inside.txt");
  }

  @Test
  void excludePatternsAreInTheCacheKeyAndExcludedFilesAreNot() throws IOException {
    Path context = builds.context("FROM scratch\nCOPY --exclude=*.log app /app/\n");
    file(context, "app/main.sh", "main");
    file(context, "app/debug.log", "one");

    String first = builds.buildId(context);
    file(context, "app/debug.log", "two"); // only an excluded file changed: the step is reused
    Jocker.Result reused = builds.build(context);
    assertThat(reused.err()).contains("COPY --exclude=*.log app /app/").containsPattern("#\\d+ CACHED");
    assertThat(builds.lastId()).isEqualTo(first);
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY --exclude=*.sh app /app/\n");
    Jocker.Result changed = builds.build(context);

    assertThat(changed.code()).as(changed.err()).isZero();
    assertThat(changed.err()).doesNotContainPattern("#\\d+ CACHED");
    assertThat(tree(builds.extract(builds.lastId(), "changed"))).containsExactly("app", "app/debug.log");
    assertThat(tree(builds.extract(first, "first"))).containsExactly("app", "app/main.sh");
  }

  @Test
  void parentsKeepsTheDirectoriesAboveEachSource() throws IOException {
    Path context = builds.context("""
        FROM scratch AS first
        COPY --parents ./x/a.txt ./y/a.txt /parents/
        COPY --parents ./src/**/*.go /go
        COPY --parents ./a/./b/c /pivot/
        COPY --parents --exclude=**/q src/p /excluded/
        COPY --parents ./nothing/*.txt /empty/

        FROM scratch
        COPY --from=first --parents /parents/./x/a.txt /go/src/./p/q/*.go /from-stage/
        """);
    file(context, "x/a.txt", "x");
    file(context, "y/a.txt", "y");
    file(context, "src/main.go", "main");
    file(context, "src/README", "not go");
    file(context, "src/p/q/deep.go", "deep");
    file(context, "src/p/c.txt", "c");
    file(context, "a/b/c/f", "f");
    Files.setPosixFilePermissions(context.resolve("src/p"), PosixFilePermissions.fromString("rwx------"));
    Files.setLastModifiedTime(context.resolve("src/p"), FileTime.fromMillis(1_000_000_000_000L));

    Path root = builds.extract(builds.buildId(context, "--target", "first"), "first");
    Path second = builds.extract(builds.buildId(context), "second");

    assertThat(tree(root.resolve("parents"))).containsExactly("x", "x/a.txt", "y", "y/a.txt");
    assertThat(Files.readString(root.resolve("parents/y/a.txt"))).isEqualTo("y");
    assertThat(tree(root.resolve("go"))).containsExactly("src", "src/main.go", "src/p", "src/p/q", "src/p/q/deep.go");
    // a directory made only as a parent keeps its own mode and time, as BuildKit copies it
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("go/src/p"))))
        .isEqualTo("rwx------");
    assertThat(Files.getLastModifiedTime(root.resolve("go/src/p")).toMillis()).isEqualTo(1_000_000_000_000L);
    assertThat(tree(root.resolve("pivot"))).containsExactly("b", "b/c", "b/c/f");
    assertThat(tree(root.resolve("excluded"))).containsExactly("src", "src/p", "src/p/c.txt");
    assertThat(tree(root.resolve("empty"))).isEmpty();
    assertThat(tree(second.resolve("from-stage"))).containsExactly("p", "p/q", "p/q/deep.go", "x", "x/a.txt");
  }

  @Test
  void parentsOfAMissingPathWithoutWildcardsIsNotFound() throws IOException {
    Path context = builds.context("FROM scratch\nCOPY --parents ./x/missing.txt /dst/\n");
    Files.createDirectories(context.resolve("x"));

    Jocker.Result build = jocker.run("build", context.toString());

    assertThat(build.code()).isEqualTo(1);
    assertThat(build.err()).contains("Dockerfile:2")
        .endsWith("ERROR: failed to solve: failed to compute cache key: \"/x/missing.txt\": not found\n");
  }

  private static void file(Path context, String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Every path below {@code dir}, relative and sorted. */
  private static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.skip(1).filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
