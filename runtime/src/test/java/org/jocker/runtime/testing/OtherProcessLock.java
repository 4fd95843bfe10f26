package org.jocker.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process (python3) locking a file as a foreign tool would: lockf is a POSIX record lock,
 * the kind FileChannel.lock takes, which a flock does not see.
 */
public final class OtherProcessLock implements AutoCloseable {
  private static final String HOLD = """
      import fcntl, sys
      f = open(sys.argv[1], 'a')
      fcntl.lockf(f, fcntl.LOCK_EX)
      print('held', flush=True)
      sys.stdin.read()
      """;
  private static final String PROBE = """
      import fcntl, sys
      f = open(sys.argv[1], 'a')
      for name, take in (('lockf', lambda: fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)),
                         ('flock', lambda: fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB))):
          try:
              take()
              print(name, 'free')
          except OSError:
              print(name, 'busy')
      """;

  private final Process process;

  private OtherProcessLock(Process process) {
    this.process = process;
  }

  /** Returns once the other process holds the file's record lock; close to make it exit. */
  public static OtherProcessLock hold(Path file) throws IOException {
    Process p = new ProcessBuilder("python3", "-c", HOLD, file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    OtherProcessLock holder = new OtherProcessLock(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (!"held".equals(line)) {
      holder.close();
      throw new IllegalStateException("python3 did not lock " + file + ": " + line);
    }
    return holder;
  }

  /** What another process finds, without waiting: "lockf busy|free\nflock busy|free\n". */
  public static String probe(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c", PROBE, file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("python3 probe of " + file + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close(); // its stdin ends: it exits, and the kernel drops its lock
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
