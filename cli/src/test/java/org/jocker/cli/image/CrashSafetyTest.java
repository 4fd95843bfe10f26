package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: `jocker load`, `jocker rmi` and `jocker commit` killed with SIGKILL at random
 * moments leave a store in which every listed image works, every blob is what its name says, no
 * ingest file outlives a reopening, and the command run again succeeds.
 */
class CrashSafetyTest {
  private static final int TRIALS = 14;
  @TempDir Path tmp;
  private Jocker jocker;

  @AfterEach
  void noMountLeft() {
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  /** An image of busybox plus ~48 MB of incompressible files in 3 layers' worth, saved to a tar. */
  private Path bigArchive() throws IOException {
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < 48; i++) {
      Path dir = Files.createDirectories(rootfs.resolve("data/d" + i % 6));
      random.nextBytes(chunk);
      Files.write(dir.resolve("f" + i), chunk);
    }
    Path tar = tmp.resolve("rootfs.tar");
    Jocker.tool(rootfs, "tar", "-cf", tar.toString(), ".");
    jocker.ok("import", tar.toString(), "big:1");
    Path archive = tmp.resolve("big.tar");
    jocker.ok("save", "-o", archive.toString(), "big:1");
    jocker.ok("rmi", "big:1");
    return archive;
  }

  /** Runs jocker as a process, killing it with SIGKILL after {@code killAfterMs} unless it ended. */
  private boolean runOrKill(long killAfterMs, String... args) throws Exception {
    Process p = jocker.process(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor(killAfterMs, TimeUnit.MILLISECONDS)) {
      return true;
    }
    p.destroyForcibly(); // SIGKILL; the wrapper exec'd java, so this is the jocker process
    p.waitFor();
    return false;
  }

  private long timed(String... args) throws Exception {
    long start = System.nanoTime();
    assertThat(runOrKill(60_000, args)).isTrue();
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void killedLoadsAndRemovesLeaveAConsistentStore() throws Exception {
    jocker = new Jocker(tmp.resolve("root"));
    Path archive = bigArchive();
    long loadMs = timed("load", "-i", archive.toString());
    long rmiMs = timed("rmi", "big:1");
    Random random = new Random();
    int killed = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      boolean loaded = runOrKill(random.nextLong(loadMs + 1), "load", "-i", archive.toString());
      killed += loaded ? 0 : 1;
      if (trial % 2 == 1 && !jocker.ok("images", "-q").out().isBlank()) {
        killed += runOrKill(random.nextLong(rmiMs + 1), "rmi", "big:1") ? 0 : 1;
      }
      checkStore("trial " + trial);
    }
    assertThat(killed).as("processes killed before they ended").isPositive();
    jocker.ok("load", "-i", archive.toString());
    assertThat(jocker.ok("images").out()).contains("big ");
    checkStore("after a last load");
  }

  @Test
  void killedCommitsLeaveAConsistentStore() throws Exception {
    jocker = new Jocker(tmp.resolve("root"));
    // A container whose writable layer holds ~24 MB of incompressible data.
    jocker.ok("run", "--name", "w", "busybox", "sh", "-c", "head -c 24000000 /dev/urandom > /data");
    long commitMs = timed("commit", "w", "snap:0");
    jocker.ok("rmi", "snap:0");
    Random random = new Random();
    int killed = 0;
    for (int trial = 0; trial < TRIALS / 2; trial++) {
      killed += runOrKill(random.nextLong(commitMs + 1), "commit", "w", "snap:" + (trial + 1)) ? 0 : 1;
      checkStore("commit trial " + trial);
    }
    assertThat(killed).as("commits killed before they ended").isPositive();
    jocker.ok("commit", "w", "snap:last");
    assertThat(jocker.run("run", "--rm", "snap:last", "test", "-s", "/data").code()).isZero();
    jocker.ok("rm", "w");
    checkStore("after a last commit");
  }

  private void checkStore(String when) throws IOException {
    for (String id : jocker.ok("images", "-q").out().lines().toList()) {
      jocker.ok("image", "inspect", id);
      Jocker.Result run = jocker.run("run", "--rm", id, "true");
      assertThat(run.code()).as("%s: run %s: %s", when, id, run.err()).isZero();
    }
    for (Path blob : files(jocker.root().resolve("content/blobs/sha256"))) {
      assertThat(sha256(blob)).as("%s: blob %s", when, blob).isEqualTo(blob.getFileName().toString());
    }
    // Every command above reopened the store, which drops dead writers' ingests.
    assertThat(files(jocker.root().resolve("content/ingest"))).as(when).isEmpty();
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
