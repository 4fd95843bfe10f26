package org.jocker.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context's files as COPY sees them: ignore files, exceptions, symlinks never followed. */
class BuildContextTest {
  @TempDir Path root;

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void listsWhatTheDockerignoreLeaves() throws IOException {
    write("Dockerfile", "FROM a\n");
    write(".dockerignore", "*.log\nbuild\n!build/keep.txt\nsecrets/\nDockerfile\n");
    write("app/main.c", "int main;");
    write("app/debug.log", "x"); // *.log is anchored at the root: this one stays
    write("top.log", "x");
    write("build/out.o", "x");
    write("build/keep.txt", "kept");
    write("secrets/key", "k");
    BuildContext context = BuildContext.open(root, root.resolve("Dockerfile"));
    assertThat(context.ignoreFile()).isEqualTo(root.resolve(".dockerignore"));
    assertThat(context.files()).extracting(ContextEntry::path)
        .containsExactly(".dockerignore", "app", "app/debug.log", "app/main.c", "build", "build/keep.txt");
    assertThat(context.files()).filteredOn(e -> e.path().equals("build/keep.txt")).singleElement()
        .satisfies(e -> {
          assertThat(e.kind()).isEqualTo(ContextEntry.Kind.FILE);
          assertThat(e.size()).isEqualTo(4);
        });
    assertThat(context.excludes("Dockerfile")).isTrue(); // COPY leaves it out; the builder reads it anyway
  }

  @Test
  void aWildcardExceptionReachesIntoExcludedDirectories() throws IOException {
    write(".dockerignore", "*\n!**/*.txt\n");
    write("a/b/notes.txt", "");
    write("a/b/bin.o", "");
    write("c/d.o", "");
    BuildContext context = BuildContext.open(root, root.resolve("Dockerfile"));
    assertThat(context.files()).extracting(ContextEntry::path).containsExactly("a", "a/b", "a/b/notes.txt");
  }

  @Test
  void theDockerfilesOwnIgnoreFileWins() throws IOException {
    write(".dockerignore", "a\n");
    write("docker/web.Dockerfile", "FROM a\n");
    write("docker/web.Dockerfile.dockerignore", "b\n");
    write("a", "");
    write("b", "");
    BuildContext context = BuildContext.open(root, root.resolve("docker/web.Dockerfile"));
    assertThat(context.ignoreFile()).isEqualTo(root.resolve("docker/web.Dockerfile.dockerignore"));
    assertThat(context.excludes("a")).isFalse();
    assertThat(context.excludes("b")).isTrue();
  }

  @Test
  void withoutAnIgnoreFileEverythingIsListed() throws IOException {
    write("x/y", "");
    BuildContext context = BuildContext.open(root, root.resolve("Dockerfile"));
    assertThat(context.ignoreFile()).isNull();
    assertThat(context.files()).extracting(ContextEntry::path).containsExactly("x", "x/y");
  }

  @Test
  void symlinksAreListedAndNeverFollowed() throws IOException {
    write("real/file", "");
    Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("inside"), Path.of("real"));
    BuildContext context = BuildContext.open(root, root.resolve("Dockerfile"));
    assertThat(context.files()).extracting(ContextEntry::path, ContextEntry::kind, ContextEntry::linkTarget)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("escape", ContextEntry.Kind.SYMLINK, "/etc"),
            org.assertj.core.groups.Tuple.tuple("inside", ContextEntry.Kind.SYMLINK, "real"),
            org.assertj.core.groups.Tuple.tuple("real", ContextEntry.Kind.DIRECTORY, null),
            org.assertj.core.groups.Tuple.tuple("real/file", ContextEntry.Kind.FILE, null));
  }

  @Test
  void aBadIgnoreFileNamesItself() throws IOException {
    write(".dockerignore", "!\n");
    assertThatThrownBy(() -> BuildContext.open(root, root.resolve("Dockerfile")))
        .isInstanceOf(IgnorePatternException.class)
        .hasMessage(root.resolve(".dockerignore") + ": illegal exclusion pattern: \"!\"");
  }
}
