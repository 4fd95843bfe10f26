package org.jocker.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.engine.spec.InitBinary;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2018-15664 and its relatives: `jocker cp` into and out of a container whose paths are
 * symlinks to its root, "..", absolute links, links inside a volume, or a directory swapped with a
 * symlink to / while the copies run. Every copy stays in the container (or its volume): a host
 * directory with the same path as one in the container is never written or read.
 */
class CopyEscapeCliTest extends CliTestBase {
  @TempDir static Path shared;
  private static Path probe;
  /** A host directory; the container has a directory at the same path. */
  private Path host;

  @BeforeAll
  static void compileProbe() throws Exception {
    probe = Probe.compile(shared.resolve("probe"));
  }

  @BeforeEach
  void setUp() throws Exception {
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("secret"), "host secret\n");
  }

  @AfterEach
  void cleanUp() {
    jocker.removeAllContainers();
    jocker.ok("volume", "prune", "-f");
  }

  private void sh(String container, String script) {
    Jocker.Result r = jocker.run("exec", container, "sh", "-c", script);
    assertThat(r.code()).as(script + ": " + r.err()).isZero();
  }

  private String cat(String container, String path) {
    return jocker.exec("exec", container, "cat", path).out();
  }

  /** The host directory holds nothing but its secret, unchanged. */
  private void assertHostUntouched() throws Exception {
    try (var files = Files.list(host)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("secret");
    }
    assertThat(Files.readString(host.resolve("secret"))).isEqualTo("host secret\n");
  }

  @Test
  void symlinksAndDotDotResolveInsideTheContainer() throws Exception {
    jocker.ok("run", "-d", "--name", "victim", "-v", "vol:/data", "busybox", "sleep", "600");
    sh("victim", "mkdir -p " + host + " && echo container secret > " + host + "/secret"
        + " && ln -s / /escape && ln -s ../../../../../../../.. /up && ln -s " + host + "/abs-target /abslink"
        + " && ln -s " + host + " /hostlink && ln -s " + host + "/secret /secretlink && ln -s / /data/root");
    Path file = Files.writeString(tmp.resolve("file"), "from host\n");
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    Files.writeString(dir.resolve("inner"), "inner\n");

    // in: through a link to /, a relative link climbing past the root, "..", links in a volume
    jocker.ok("cp", file.toString(), "victim:/escape" + host + "/via-escape");
    jocker.ok("cp", file.toString(), "victim:/up" + host + "/via-up");
    jocker.ok("cp", file.toString(), "victim:/../../../../.." + host + "/via-dotdot");
    jocker.ok("cp", file.toString(), "victim:/abslink");
    jocker.ok("cp", dir.toString(), "victim:/hostlink/");
    jocker.ok("cp", file.toString(), "victim:/data/root" + host + "/via-volume-link");
    assertHostUntouched();

    // out: the container's file, never the host's
    Path out = Files.createDirectories(tmp.resolve("out"));
    int n = 0;
    for (String source : List.of("/escape" + host + "/secret", "/up" + host + "/secret",
        "/../../.." + host + "/secret", "/hostlink/secret", "/data/root" + host + "/secret")) {
      Path copy = out.resolve("copy" + n++);
      jocker.ok("cp", "victim:" + source, copy.toString());
      assertThat(Files.readString(copy)).as(source).isEqualTo("container secret\n");
    }
    jocker.ok("cp", "-L", "victim:/secretlink", out.resolve("followed").toString());
    assertThat(Files.readString(out.resolve("followed"))).isEqualTo("container secret\n");

    // a tar stream that makes a link to / and then writes through it
    Path tar = tmp.resolve("evil.tar");
    Files.write(tar, evilTar(host.toString().substring(1) + "/via-tar"));
    Process p = jocker.process("cp", "-", "victim:/tmp").redirectInput(tar.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertHostUntouched();
    // all of it landed in the container, where its links point
    StringBuilder expected = new StringBuilder();
    StringBuilder script = new StringBuilder("cd " + host);
    for (String name : List.of("via-escape", "via-up", "via-dotdot", "abs-target", "via-volume-link", "dir/inner",
        "via-tar")) {
      script.append(" && echo ").append(name).append(": $(cat ").append(name).append(')');
      expected.append(name).append(": ").append(name.equals("dir/inner") ? "inner" : name.equals("via-tar")
          ? "from tar" : "from host").append('\n');
    }
    assertThat(jocker.exec("exec", "victim", "sh", "-c", script.toString()).out()).isEqualTo(expected.toString());
  }

  /** A tar whose "evil" entry is a symlink to / and whose next entry is evil/PATH. */
  private static byte[] evilTar(String path) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry link = new TarArchiveEntry("evil", TarConstants.LF_SYMLINK);
      link.setLinkName("/");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      byte[] data = "from tar\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("evil/" + path);
      file.setSize(data.length);
      tar.putArchiveEntry(file);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** A tar with one hard link NAME to TARGET. */
  private static byte[] hardLinkTar(String name, String target) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_LINK);
      link.setLinkName(target);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** `cp` to and from a volume's path is the volume's content, as the container sees it. */
  @Test
  void copyIntoAVolumeLandsInTheVolume() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    jocker.ok("run", "-d", "--init", "--name", "victim", "-v", "vol:/data", "-v", host + ":/hostdir:ro", "-v",
        shared + ":/shared", "busybox", "sleep", "600");
    sh("victim", "echo made in the container > /data/made");
    Path file = Files.writeString(tmp.resolve("file"), "from host\n");
    jocker.ok("cp", file.toString(), "victim:/data/copied");
    assertThat(cat("victim", "/data/copied")).isEqualTo("from host\n");
    Path data = jocker.root().resolve("volumes/vol/_data");
    assertThat(Files.readString(data.resolve("copied"))).isEqualTo("from host\n");
    Path out = tmp.resolve("made");
    jocker.ok("cp", "victim:/data/made", out.toString());
    assertThat(Files.readString(out)).isEqualTo("made in the container\n");
    jocker.ok("cp", "victim:/hostdir/secret", tmp.resolve("bound").toString());
    assertThat(Files.readString(tmp.resolve("bound"))).isEqualTo("host secret\n");

    // a read-only bind mount of a host directory is not written through, nor --init's host binary
    Jocker.Result ro = jocker.run("cp", file.toString(), "victim:/hostdir/new");
    assertThat(ro.code()).isEqualTo(1);
    assertThat(ro.err()).contains("marked read-only");
    Path init = InitBinary.locate();
    String initSha = Probe.sha256(init);
    Jocker.Result overInit = jocker.run("cp", file.toString(), "victim:/sbin/docker-init");
    assertThat(overInit.code()).isEqualTo(1);
    assertThat(overInit.err()).contains("marked read-only");
    // a tar's hard link from a writable bind mount to --init's host binary (the same host file
    // system): the container could then write the binary through it
    Path tar = Files.write(tmp.resolve("link.tar"), hardLinkTar("shared/init", "sbin/docker-init"));
    Process p = jocker.process("cp", "-", "victim:/").redirectInput(tar.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    try (var files = Files.list(shared)) {
      assertThat(files.toList()).isEmpty();
    }
    assertThat(Files.getAttribute(init, "unix:nlink")).isEqualTo(1);
    assertThat(Probe.sha256(init)).isEqualTo(initSha);
    assertHostUntouched();
  }

  /**
   * The race itself: while the container exchanges a directory (holding the host directory's path)
   * with a symlink to / as fast as it can, copies in and out through it never touch the host, and
   * a second container sharing a volume (not frozen by the copy) races inside that volume.
   */
  @Test
  void swappingADirectoryForASymlinkDuringCopiesNeverReachesTheHost() throws Exception {
    String volume = probe + ":" + Probe.CONTAINER_DIR + ":ro";
    String stage = "mkdir -p %1$s/race%2$s && echo container secret > %1$s/race%2$s/secret && ln -s / %1$s/link";
    jocker.ok("run", "-d", "--name", "victim", "-v", volume, "-v", "shared:/data", "busybox", "sh", "-c",
        String.format(stage, "", host) + " && exec /probe/probe swap /race /link");
    jocker.ok("run", "-d", "--name", "racer", "-v", volume, "-v", "shared:/data", "busybox", "sh", "-c",
        String.format(stage, "/data", host) + " && exec /probe/probe swap /data/race /data/link");
    Path file = Files.writeString(tmp.resolve("file"), "from host\n");
    Path out = Files.createDirectories(tmp.resolve("out"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int copies = 0;
    int landed = 0;
    for (int i = 0; i < 100 && System.nanoTime() < end; i++) {
      String base = i % 2 == 0 ? "/race" : "/data/race";
      if (jocker.run("cp", file.toString(), "victim:" + base + host + "/in" + i).code() == 0) {
        landed++;
      }
      Path copy = out.resolve("out" + i);
      if (jocker.run("cp", "victim:" + base + host + "/secret", copy.toString()).code() == 0) {
        assertThat(Files.readString(copy)).isEqualTo("container secret\n");
      }
      copies++;
      assertHostUntouched();
    }
    assertThat(copies).isPositive();
    assertThat(landed).as("copies that found the directory").isPositive();
    for (String name : List.of("victim", "racer")) {
      assertThat(jocker.ok("inspect", "-f", "{{.State.Status}}", name).out().strip()).isEqualTo("running");
    }
    assertHostUntouched();
  }

  /**
   * Docker's copy-up fills a new, empty volume with the image's files at its path. A container
   * already sharing that volume watches it and, as soon as the copy-up has written /etc/group (or
   * passwd), plants a symlink to a host file at the other name: the copy-up must replace such a
   * link or fail, never write through it.
   */
  @Test
  void volumeCopyUpNeverWritesThroughALinkPlantedByAnotherContainer() throws Exception {
    jocker.ok("run", "-d", "--name", "planter", "-v", probe + ":" + Probe.CONTAINER_DIR + ":ro", "-v", "shared:/data",
        "busybox", Probe.CONTAINER_DIR + "/probe", "plant", "/data", host.resolve("secret").toString(), "group",
        "passwd");
    Path data = jocker.root().resolve("volumes/shared/_data");
    int copyUps = 0;
    for (int i = 0; i < 20; i++) {
      Jocker.Result create = jocker.run("create", "-v", "shared:/etc", "busybox", "true");
      if (create.code() == 0) {
        jocker.ok("rm", create.out().strip());
      }
      assertHostUntouched();
      if (Files.isRegularFile(data.resolve("passwd"), LinkOption.NOFOLLOW_LINKS)) {
        copyUps++;
      }
      jocker.ok("pause", "planter"); // so that it plants nothing while the volume is emptied
      try (var files = Files.list(data)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      jocker.ok("unpause", "planter");
    }
    jocker.ok("exec", "planter", "touch", "/tmp/stop");
    assertThat(jocker.ok("wait", "planter").out().strip()).isEqualTo("0");
    String planted = jocker.ok("logs", "planter").out().strip();
    assertThat(planted).as("links planted during copy-ups").startsWith("planted ").isNotEqualTo("planted 0");
    assertThat(copyUps).isPositive();
    assertHostUntouched();
  }

  /**
   * An image whose VOLUME paths are symlinks out of its rootfs (absolute, climbing "..", to /etc):
   * the copy-up resolves them inside the image, so each volume gets the image's files at the
   * link's target, or nothing where the image has none, never the host directory's.
   */
  @Test
  void volumeCopyUpFollowsTheImagesLinksInsideTheImage() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("other secret"), "host secret\n");
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Files.createSymbolicLink(rootfs.resolve("abs"), host); // the image has nothing there
    Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../../../../.." + other));
    Path otherInImage = Files.createDirectories(rootfs.resolve(other.toString().substring(1)));
    Files.writeString(otherInImage.resolve("image file"), "image\n");
    Files.createSymbolicLink(rootfs.resolve("etclink"), Path.of("/etc"));
    Path tar = tmp.resolve("rootfs.tar");
    Jocker.tool(rootfs, "tar", "-cf", tar.toString(), ".");
    jocker.ok("import", "-c", "VOLUME /abs", "-c", "VOLUME /up", "-c", "VOLUME /etclink", tar.toString(), "linked:1");

    jocker.ok("create", "-v", "abs:/abs", "-v", "up:/up", "linked:1", "true");

    Path volumes = jocker.root().resolve("volumes");
    List<String> anonymous;
    try (var names = Files.list(volumes)) {
      anonymous = names.map(p -> p.getFileName().toString()).filter(n -> !n.equals("abs") && !n.equals("up")).toList();
    }
    assertThat(anonymous).hasSize(1);
    assertThat(listing(volumes.resolve("abs/_data"))).isEmpty();
    assertThat(listing(volumes.resolve("up/_data"))).containsExactly("image file");
    assertThat(volumes.resolve("up/_data/image file")).hasContent("image\n");
    assertThat(listing(volumes.resolve(anonymous.getFirst()).resolve("_data")))
        .containsExactlyElementsOf(listing(rootfs.resolve("etc")));
    assertHostUntouched();
    assertThat(listing(other)).containsExactly("other secret");
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * `export` and `commit` read a running container's files from the host: while the container
   * swaps a directory with a symlink to a host directory, neither the exported tar nor a committed
   * layer ever holds the host's file.
   */
  @Test
  void exportAndCommitOfASwappingContainerNeverReadTheHost() throws Exception {
    jocker.ok("run", "-d", "--name", "victim", "-v", probe + ":" + Probe.CONTAINER_DIR + ":ro", "busybox", "sh", "-c",
        "mkdir /race && echo ctnr secret > /race/secret && ln -s " + host + " /link" // as long as the host's
            + " && exec /probe/probe swap /race /link");
    byte[] hostSecret = "host secret".getBytes(StandardCharsets.UTF_8);
    Path tar = tmp.resolve("export.tar");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    int exports = 0;
    for (int i = 0; i < 20 && System.nanoTime() < end; i++, exports++) {
      jocker.ok("export", "-o", tar.toString(), "victim");
      assertThat(indexOf(Files.readAllBytes(tar), hostSecret)).as("export %d holds the host's file", i).isNegative();
    }
    for (int i = 0; i < 3; i++) {
      jocker.ok("commit", "victim", "swapped:" + i);
    }
    int layers = 0;
    try (var files = Files.walk(jocker.root())) {
      for (Path blob : files.filter(f -> f.getParent().getParent() != null
          && f.getParent().getParent().getFileName().toString().equals("blobs") && Files.isRegularFile(f)).toList()) {
        byte[] bytes = Files.readAllBytes(blob);
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
          try (var gzip = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            assertThat(indexOf(gzip.readAllBytes(), hostSecret)).as("layer %s", blob).isNegative();
          }
          layers++;
        }
      }
    }
    assertThat(exports).isPositive();
    assertThat(layers).as("layers written by the commits").isPositive(); // equal trees share one layer
    assertThat(jocker.ok("inspect", "-f", "{{.State.Status}}", "victim").out().strip()).isEqualTo("running");
    assertHostUntouched();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
