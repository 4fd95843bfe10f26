package org.jocker.engine.logs;

/** Where log entries go: the container's stdout entries to one place, stderr entries to another. */
public interface LogSink {
  void write(boolean stderr, byte[] bytes);
}
