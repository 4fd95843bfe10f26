package org.jocker.runtime.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a container's init ended, from the monitor's exit file ("WAITSTATUS NANOS"). Docker's
 * convention for the code: the exit code, or 128 + the signal that killed it.
 *
 * @param signal the killing signal, 0 if it exited
 * @param finishedNanos wall-clock time of the exit, nanoseconds since the epoch
 */
public record ExitStatus(int code, int signal, long finishedNanos) {

  public static ExitStatus fromWaitStatus(int status, long finishedNanos) {
    int sig = status & 0x7f;
    if (sig == 0) {
      return new ExitStatus((status >> 8) & 0xff, 0, finishedNanos);
    }
    return new ExitStatus(128 + sig, sig, finishedNanos);
  }

  /** Reads the monitor's exit file; empty if the container has not ended (or was never recorded). */
  public static Optional<ExitStatus> read(Path exitFile) {
    try {
      String[] parts = Files.readString(exitFile, StandardCharsets.US_ASCII).trim().split(" ");
      return Optional.of(fromWaitStatus(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the monitor renames it into place whole: a bad file is not ours
    }
  }
}
