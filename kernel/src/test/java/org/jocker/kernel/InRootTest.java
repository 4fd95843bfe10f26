package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jocker.kernel.OpenFlags.O_CREAT;
import static org.jocker.kernel.OpenFlags.O_DIRECTORY;
import static org.jocker.kernel.OpenFlags.O_EXCL;
import static org.jocker.kernel.OpenFlags.O_NOFOLLOW;
import static org.jocker.kernel.OpenFlags.O_PATH;
import static org.jocker.kernel.OpenFlags.O_RDONLY;
import static org.jocker.kernel.OpenFlags.O_WRONLY;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jocker.kernel.InRoot.Located;
import org.jocker.kernel.InRoot.Option;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The in-root resolver on the real kernel, each case through openat2 and through the walk that
 * stands in for it where openat2 is missing: both must give the same answers. The root holds, at
 * the host directory's path, a directory of its own, so that an escape would read the host's file.
 */
class InRootTest {
  @TempDir Path tmp;
  private Path root;
  /** A host directory outside the root, with a secret. */
  private Path host;
  private Descriptor rootDir;
  private final List<Path> mounted = new ArrayList<>();

  @BeforeEach
  void makeRoot() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("secret"), "host secret");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "image passwd");
    Path hostInRoot = Files.createDirectories(inRoot(host));
    Files.writeString(hostInRoot.resolve("secret"), "image secret");
    Files.createSymbolicLink(root.resolve("abs"), host);
    Files.createSymbolicLink(root.resolve("rel"), Path.of("../../../../../../../../../.." + host));
    Files.createSymbolicLink(root.resolve("rootlink"), Path.of("/"));
    Files.createDirectories(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../../.."));
    rootDir = Descriptor.open(root, O_PATH | O_DIRECTORY);
  }

  @AfterEach
  void cleanUp() throws Exception {
    rootDir.close();
    for (Path m : mounted.reversed()) {
      run("umount", "-l", m.toString());
    }
  }

  private Path inRoot(Path hostPath) {
    return root.resolve(hostPath.toString().substring(1));
  }

  private InRoot resolver(InRoot.Resolver kind) {
    return kind == InRoot.Resolver.OPENAT2 ? InRoot.of(rootDir) : InRoot.walking(rootDir);
  }

  /** What opening path gives: the file's content, "dir", or the errno's name. */
  private String answer(InRoot in, String path, int flags) {
    try (Descriptor d = in.open(path, flags)) {
      return Files.isDirectory(d.path()) ? "dir" : Files.readString(d.path());
    } catch (KernelException e) {
      return errnoName(e.errno());
    } catch (Exception e) {
      throw new AssertionError(path, e);
    }
  }

  private static String errnoName(int errno) {
    return switch (errno) {
      case Errno.ENOENT -> "ENOENT";
      case Errno.ENOTDIR -> "ENOTDIR";
      case Errno.ELOOP -> "ELOOP";
      case Errno.EEXIST -> "EEXIST";
      default -> "errno " + errno;
    };
  }

  private void assertAnswers(InRoot.Resolver kind, Map<String, String> expected, int flags) {
    InRoot in = resolver(kind);
    Map<String, String> actual = new LinkedHashMap<>();
    expected.keySet().forEach(path -> actual.put(path, answer(in, path, flags)));
    assertThat(actual).as(kind.name()).containsExactlyEntriesOf(expected);
  }

  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void symlinksAndDotDotStayInsideTheRoot(InRoot.Resolver kind) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("/etc/passwd", "image passwd");
    expected.put("etc/passwd", "image passwd");
    expected.put("", "dir");
    expected.put("/", "dir");
    expected.put("../../../etc/passwd", "image passwd");
    expected.put("/abs/secret", "image secret");
    expected.put("/rel/secret", "image secret");
    expected.put("/rootlink/../../rootlink/etc/passwd", "image passwd");
    expected.put("/sub/up" + host + "/secret", "image secret");
    expected.put("/abs/../../../../../../../etc/passwd", "image passwd");
    expected.put("/rel/", "dir");
    assertAnswers(kind, expected, O_PATH);
    assertAnswers(kind, expected, O_RDONLY);
  }

  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void missingLoopsAndFilesAsDirectoriesFail(InRoot.Resolver kind) throws Exception {
    Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
    Files.createSymbolicLink(root.resolve("ping"), Path.of("/pong"));
    Files.createSymbolicLink(root.resolve("pong"), Path.of("ping"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere"));
    Files.createSymbolicLink(root.resolve("selfroot"), Path.of("/proc/self/root")); // no procfs in this root
    // a chain of 40 links resolves (Linux's limit), 41 fail
    Files.createSymbolicLink(root.resolve("chain0"), Path.of("etc/passwd"));
    for (int i = 1; i <= 40; i++) {
      Files.createSymbolicLink(root.resolve("chain" + i), Path.of("chain" + (i - 1)));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("/missing", "ENOENT");
    expected.put("/missing/x", "ENOENT");
    expected.put("/dangling", "ENOENT");
    expected.put("/selfroot/etc", "ENOENT");
    expected.put("/etc/passwd/x", "ENOTDIR");
    expected.put("/etc/passwd/", "ENOTDIR");
    expected.put("/etc/passwd/..", "ENOTDIR");
    expected.put("/self", "ELOOP");
    expected.put("/ping/x", "ELOOP");
    expected.put("/chain39", "image passwd");
    expected.put("/chain40", "ELOOP");
    assertAnswers(kind, expected, O_PATH);
    assertThat(answer(resolver(kind), "/etc/passwd", O_PATH | O_DIRECTORY)).isEqualTo("ENOTDIR");
    assertThat(answer(resolver(kind), "/self", O_RDONLY | O_NOFOLLOW)).isEqualTo("ELOOP");
    try (Descriptor link = resolver(kind).open("/self", O_PATH | O_NOFOLLOW)) {
      assertThat(AtCalls.kind(link.number(), "/self")).isEqualTo(AtCalls.Kind.SYMLINK);
    }
  }

  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void theErrorNamesThePath(InRoot.Resolver kind) {
    assertThatThrownBy(() -> resolver(kind).open("/etc/nope/x", O_PATH))
        .isInstanceOfSatisfying(KernelException.class, e -> {
          assertThat(e.errno()).isEqualTo(Errno.ENOENT);
          assertThat(e.path()).startsWith("/etc/nope");
          assertThat(e.getMessage()).contains("/etc/nope").contains("No such file or directory");
        });
  }

  /**
   * A root with a live procfs in it (as a container's is): procfs's magic links jump to a file
   * outside the root, so they are refused wherever they are met; its ordinary links are followed.
   */
  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void magicLinksAreRefused(InRoot.Resolver kind) throws Exception {
    Path proc = Files.createDirectories(root.resolve("proc"));
    run("mount", "-t", "proc", "proc", proc.toString());
    mounted.add(proc);
    Files.createSymbolicLink(root.resolve("escape"), Path.of("/proc/self/root"));
    Files.createSymbolicLink(root.resolve("escape-rel"), Path.of("proc/self/cwd"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("/escape" + host + "/secret", "ELOOP");
    expected.put("/escape-rel/x", "ELOOP");
    expected.put("/proc/self/root/etc/passwd", "ELOOP");
    expected.put("/proc/self/root", "ELOOP");
    expected.put("/proc/thread-self/root", "ELOOP");
    expected.put("/proc/self/fd/0", "ELOOP");
    expected.put("/proc/self/ns/mnt", "ELOOP");
    expected.put("/proc/self/task/../root", "ELOOP");
    assertAnswers(kind, expected, O_PATH);
    assertThat(answer(resolver(kind), "/proc/self/status", O_RDONLY)).startsWith("Name:");
    assertThat(answer(resolver(kind), "/proc/mounts", O_RDONLY)).contains(" proc ");
    // not followed, the link itself may be had (its own descriptor names nothing beyond it)
    try (Descriptor link = resolver(kind).open("/proc/self/root", O_PATH | O_NOFOLLOW)) {
      assertThat(AtCalls.kind(link.number(), "/proc/self/root")).isEqualTo(AtCalls.Kind.SYMLINK);
    }
  }

  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void creatingFollowsLinksInsideTheRoot(InRoot.Resolver kind) throws Exception {
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/made"));
    try (Descriptor d = resolver(kind).open("/abs/new", O_CREAT | O_WRONLY, 0600)) {
      Files.writeString(d.path(), "written");
    }
    assertThat(inRoot(host).resolve("new")).hasContent("written");
    assertThat(host.resolve("new")).doesNotExist();
    resolver(kind).open("/dangling", O_CREAT | O_WRONLY, 0600).close();
    assertThat(root.resolve("made")).isRegularFile();
    assertThat(answer(resolver(kind), "/dangling", O_CREAT | O_EXCL | O_WRONLY)).isEqualTo("EEXIST");
    assertThat(answer(resolver(kind), "/missing/new", O_CREAT | O_WRONLY)).isEqualTo("ENOENT");
  }

  /**
   * The race of CVE-2018-15664: while another thread swaps a directory of the root for symlinks
   * leading at the host directory (absolute, and climbing ".."), every open through it reads the
   * root's own file or fails; none reads the host's.
   */
  @ParameterizedTest
  @EnumSource(InRoot.Resolver.class)
  void aDirectorySwappedForASymlinkNeverLeadsOut(InRoot.Resolver kind) throws Exception {
    Path race = root.resolve("race");
    Path aside = root.resolve("race.dir");
    Files.createDirectories(race);
    Files.writeString(race.resolve("secret"), "image race");
    AtomicBoolean stop = new AtomicBoolean();
    Thread swapper = Thread.ofPlatform().start(() -> {
      try {
        for (int i = 0; !stop.get(); i++) {
          Files.move(race, aside);
          Files.createSymbolicLink(race, i % 2 == 0 ? host : Path.of("../../../../../../../.." + host));
          Files.delete(race);
          Files.move(aside, race);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    InRoot in = resolver(kind);
    int read = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    try {
      while (System.nanoTime() < end) {
        String got = answer(in, "/race/secret", O_RDONLY);
        assertThat(got).isIn("image race", "image secret", "ENOENT");
        read += got.startsWith("image") ? 1 : 0;
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertThat(read).isPositive();
    assertThat(host.resolve("secret")).hasContent("host secret");
  }

  @Test
  void locateGivesTheDirectoryAndNameAndMakesParentsInsideTheRoot() throws Exception {
    InRoot in = InRoot.of(rootDir);
    try (Located made = in.locate("/abs/new/deeper/file", Option.MAKE_PARENTS)) {
      assertThat(made.name()).isEqualTo("file");
      assertThat(made.path()).isEqualTo(host + "/new/deeper/file");
      assertThat(made.graft()).isNull();
      Files.writeString(made.file(), "made");
    }
    assertThat(inRoot(host).resolve("new/deeper/file")).hasContent("made");
    assertThat(host.resolve("new")).doesNotExist();
    try (Located link = in.locate("/abs")) {
      assertThat(link.name()).isEqualTo("abs");
      assertThat(Files.isSymbolicLink(link.file())).isTrue();
    }
    try (Located followed = in.locate("/abs", Option.FOLLOW_LAST)) {
      assertThat(followed.path()).isEqualTo(host.toString());
      assertThat(followed.file().resolve("secret")).hasContent("image secret");
    }
    try (Located top = in.locate("/etc/..")) {
      assertThat(top.name()).isEqualTo(".");
      assertThat(top.path()).isEqualTo("/");
      assertThat(top.file().resolve("etc/passwd")).hasContent("image passwd");
    }
    try (Located missing = in.locate("/rel/nothing")) {
      assertThat(missing.path()).isEqualTo(host + "/nothing");
      assertThat(Files.exists(missing.file(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
    assertThatThrownBy(() -> in.locate("/nothing/file")).isInstanceOfSatisfying(KernelException.class,
        e -> assertThat(e.path()).isEqualTo("/nothing"));
  }

  /**
   * Grafts (a container's bind mounts): a walk goes on in the host's directory at their path; an
   * absolute link or ".." from inside one returns to the root, not to the host's directory.
   */
  @Test
  void grafts() throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("volume"));
    Files.writeString(volume.resolve("inside"), "volume file");
    Files.createSymbolicLink(volume.resolve("toroot"), Path.of("/"));
    Files.createSymbolicLink(volume.resolve("up"), Path.of("../../.."));
    Path file = Files.writeString(tmp.resolve("bound-file"), "bound file");
    Files.createDirectories(root.resolve("data"));
    InRoot in = InRoot.of(rootDir, path -> switch (path) {
      case "/data" -> volume;
      case "/etc/bound" -> file;
      default -> null;
    });
    try (Located d = in.locate("/data")) {
      assertThat(d.name()).isEqualTo(".");
      assertThat(d.graft()).isEqualTo("/data");
      assertThat(d.file().resolve("inside")).hasContent("volume file");
    }
    try (Located f = in.locate("/rootlink/data/inside")) {
      assertThat(f.path()).isEqualTo("/data/inside");
      assertThat(f.graft()).isEqualTo("/data");
      assertThat(f.file()).hasContent("volume file");
    }
    for (String path : List.of("/data/toroot/etc/passwd", "/data/up/etc/passwd", "/data/../etc/passwd")) {
      try (Located p = in.locate(path)) {
        assertThat(p.path()).as(path).isEqualTo("/etc/passwd");
        assertThat(p.graft()).as(path).isNull();
        assertThat(p.file()).as(path).hasContent("image passwd");
      }
    }
    try (Located bound = in.locate("/etc/bound")) {
      assertThat(bound.graft()).isEqualTo("/etc/bound");
      assertThat(bound.file()).hasContent("bound file");
    }
    try (Descriptor d = in.open("/data/inside", O_RDONLY)) {
      assertThat(Files.readString(d.path())).isEqualTo("volume file");
    }
    assertThatThrownBy(() -> in.locate("/etc/bound/x")).isInstanceOfSatisfying(KernelException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.ENOTDIR));
  }

  /** Every descriptor a resolution opens is closed again or handed to the caller, failures included. */
  @Test
  void noDescriptorIsLeft() throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("volume"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    Runnable resolveAll = () -> {
      for (InRoot in : List.of(InRoot.of(rootDir), InRoot.walking(rootDir),
          InRoot.of(rootDir, path -> path.equals("/etc/vol") ? volume : null))) {
        for (String path : List.of("/etc/passwd", "/abs/secret", "/rel/", "/missing/x", "/etc/passwd/x", "/loop",
            "/etc/vol/../passwd", "/etc/vol/none")) {
          answer(in, path, O_PATH);
          answer(in, path, O_RDONLY | O_DIRECTORY);
          try (Located l = in.locate(path, Option.FOLLOW_LAST)) {
            assertThat(l.name()).isNotEmpty();
          } catch (KernelException e) {
            assertThat(e.errno()).isPositive();
          }
        }
      }
    };
    resolveAll.run(); // loads what the JVM loads once
    long before = openDescriptors();
    resolveAll.run();
    assertThat(openDescriptors()).isEqualTo(before);
  }

  private static long openDescriptors() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
