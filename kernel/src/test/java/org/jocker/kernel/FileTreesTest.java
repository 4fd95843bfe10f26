package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recursive delete on the real file system, with real mounts (needs root). */
class FileTreesTest {
  @TempDir Path tmp;
  private final List<Path> mounted = new ArrayList<>();

  @AfterEach
  void unmountEverything() throws Exception {
    for (Path m : mounted.reversed()) {
      run("umount", "-l", m.toString());
    }
  }

  @Test
  void aMissingRootIsFine() throws IOException {
    FileTrees.delete(tmp.resolve("absent"));
    assertThat(tmp.resolve("absent")).doesNotExist();
  }

  @Test
  void deletesANestedTree() throws IOException {
    Path root = tmp.resolve("tree");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/file"), "x");
    Files.writeString(root.resolve("top"), "y");
    Files.createSymbolicLink(root.resolve("a/dangling"), Path.of("/no/such/target"));
    FileTrees.delete(root);
    assertThat(root).doesNotExist();
  }

  @Test
  void aSymlinkToAnOutsideDirectoryIsRemovedNotFollowed() throws IOException {
    Path outside = outsideWithContent();
    Path root = tmp.resolve("tree");
    Files.createDirectories(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("sub/link"), outside);
    Files.createSymbolicLink(root.resolve("relative"), Path.of("../outside"));
    FileTrees.delete(root);
    assertThat(root).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("precious");
    assertThat(outside.resolve("deeper/keep")).hasContent("precious");
  }

  @Test
  void aRootThatIsASymlinkLosesOnlyTheLink() throws IOException {
    Path outside = outsideWithContent();
    Path link = tmp.resolve("link");
    Files.createSymbolicLink(link, outside);
    FileTrees.delete(link);
    assertThat(link).doesNotExist();
    assertThat(outside.resolve("deeper/keep")).hasContent("precious");
  }

  @Test
  void aTmpfsMountedInsideIsRefusedAndNotEmptied() throws Exception {
    Path root = tmp.resolve("tree");
    Path mountPoint = Files.createDirectories(root.resolve("a/mnt"));
    Files.writeString(root.resolve("a/sibling"), "z");
    mount(mountPoint, "-t", "tmpfs", "tmpfs");
    Files.writeString(mountPoint.resolve("inside"), "precious");

    assertThatThrownBy(() -> FileTrees.delete(root)).isInstanceOf(FileSystemException.class)
        .hasMessageContaining(mountPoint.toString()).hasMessageContaining("mount");
    assertThat(mountPoint.resolve("inside")).hasContent("precious");
    assertThat(root.resolve("a/sibling")).exists(); // refused before deleting anything
  }

  @Test
  void aBindMountOfTheSameFileSystemInsideIsRefusedAndNotEmptied() throws Exception {
    Path outside = outsideWithContent();
    Path root = tmp.resolve("tree");
    Path mountPoint = Files.createDirectories(root.resolve("bound"));
    mount(mountPoint, "--bind", outside.toString());

    assertThatThrownBy(() -> FileTrees.delete(root)).isInstanceOf(FileSystemException.class)
        .hasMessageContaining(mountPoint.toString());
    assertThat(outside.resolve("keep")).hasContent("precious");
    assertThat(outside.resolve("deeper/keep")).hasContent("precious");
  }

  @Test
  void aRootThatIsItselfAMountPointIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    mount(root, "-t", "tmpfs", "tmpfs");
    Files.writeString(root.resolve("inside"), "precious");

    assertThatThrownBy(() -> FileTrees.delete(root)).isInstanceOf(FileSystemException.class);
    assertThat(root.resolve("inside")).hasContent("precious");
  }

  @Test
  void uncheckedTheRefusalNamesTheTree() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    mount(root, "-t", "tmpfs", "tmpfs");

    assertThatThrownBy(() -> FileTrees.deleteUnchecked(root)).isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot remove " + root).hasCauseInstanceOf(FileSystemException.class);
    assertThat(root).exists();
  }

  @Test
  void afterTheUnmountTheTreeGoes() throws Exception {
    Path root = tmp.resolve("tree");
    Path mountPoint = Files.createDirectories(root.resolve("mnt"));
    mount(mountPoint, "-t", "tmpfs", "tmpfs");
    run("umount", mountPoint.toString());
    mounted.remove(mountPoint);
    FileTrees.delete(root);
    assertThat(root).doesNotExist();
  }

  private Path outsideWithContent() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside/deeper"));
    Files.writeString(outside.resolve("keep"), "precious");
    Files.writeString(outside.getParent().resolve("keep"), "precious");
    return outside.getParent();
  }

  private void mount(Path target, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("mount"));
    command.addAll(List.of(args));
    command.add(target.toString());
    run(command.toArray(String[]::new));
    mounted.add(target);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
