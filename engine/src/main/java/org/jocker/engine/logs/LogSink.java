package org.jocker.engine.logs;

import java.io.PrintStream;

/** Where log entries go: the container's stdout entries to one place, stderr entries to another. */
public interface LogSink {
  void write(boolean stderr, byte[] bytes);

  /** A sink writing to print streams (flushed at each entry). */
  static LogSink of(PrintStream out, PrintStream err) {
    return (stderr, bytes) -> {
      PrintStream s = stderr ? err : out;
      s.write(bytes, 0, bytes.length);
      s.flush();
    };
  }
}
