package org.jocker.runtime.kernel;

import java.util.List;

/**
 * The few kernel calls the Java side of the runtime makes itself. Behind an interface so that the
 * lifecycle logic can be tested with a fake; {@link LinuxKernel} is the real one (FFM).
 */
public interface Kernel {

  /** Creates a pipe; both ends close on exec. */
  Pipe pipe();

  /**
   * Starts {@code path} with posix_spawn. {@code fds} maps the child's descriptor numbers (index)
   * to ours: entry i becomes the child's fd i; -1 leaves the child's fd i as inherited. One of
   * ours that is not open fails the spawn.
   */
  int spawn(String path, List<String> argv, List<String> env, int[] fds);

  /**
   * A descriptor (close-on-exec) of an anonymous copy of {@code file} named {@code name}, sealed
   * against writes, size changes and further seals: immutable for good. Made once per file (its
   * inode, size and mtime) and process and kept open, so that every program spawned from it shares
   * one copy.
   */
  int sealedCopy(java.nio.file.Path file, String name);

  /** Waits for a child of this process and returns its raw wait status. */
  int waitPid(int pid);

  int read(int fd, byte[] buf, int off, int len);

  void writeFully(int fd, byte[] buf);

  void close(int fd);

  /** Opens a file for reading (close-on-exec), e.g. /dev/null as a container's stdin. */
  int openForReading(java.nio.file.Path file);

  /** Opens a directory as an O_PATH descriptor (close-on-exec): a handle for /proc/self/fd/N paths. */
  int openPath(java.nio.file.Path dir);

  /**
   * Opens a file for reading without following a symlink at its last component and without
   * blocking on a fifo (close-on-exec).
   */
  default int openFileNoFollow(java.nio.file.Path file) {
    throw new UnsupportedOperationException("openFileNoFollow");
  }

  /** Signals pid if it is still the process that started at {@code startTime} (clock ticks). */
  boolean signal(int pid, long startTime, int signal);

  /** Blocks until the process exits (it need not be our child); false on timeout. */
  boolean awaitExit(int pid, long timeoutMillis);

  /**
   * The process's start time in clock ticks since boot (/proc/PID/stat field 22), or -1 if it is
   * gone or a zombie.
   */
  long startTime(int pid);

  /** The hard limit of rlimit {@code resource} of process {@code pid} (prlimit). */
  long hardRlimit(long pid, int resource);

  /**
   * Waits until fd has something to read (or is at its end): returns true; or until wakeFd has:
   * returns false. For an input copier that must stop without reading another byte.
   */
  default boolean awaitReadable(int fd, int wakeFd) {
    throw new UnsupportedOperationException("awaitReadable");
  }

  record Pipe(int readFd, int writeFd) {}
}
