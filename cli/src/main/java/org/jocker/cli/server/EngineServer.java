package org.jocker.cli.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.jocker.cli.session.Descriptors;
import org.jocker.kernel.Durable;
import org.jocker.kernel.PrivateDirectory;
import org.jocker.kernel.UnixSockets;
import sun.misc.Signal;

/**
 * The resident engine: a JVM that runs the native client's commands (so they skip the JVM's
 * start-up), each on its own thread as the client's session. It listens on a root-only unix
 * socket, holds engine.lock beside it for as long as it serves (one engine per socket), and stops
 * serving when idle, when stale (its jars were rebuilt), on SIGTERM/SIGINT/SIGHUP or on `jocker
 * engine stop`; it then finishes the commands it is running and exits. Containers do not depend
 * on it: their monitors are not its children.
 */
public final class EngineServer {
  private static final int POLL_MILLIS = 500;

  private final Path socket;
  private final Duration idleTimeout;
  private final JarStamp stamp = JarStamp.ofClassPath();
  private final Object activity = new Object();
  private volatile boolean serving;
  private int running;
  private Instant idleSince = Instant.now();
  private FileChannel lockChannel;

  public EngineServer(Path socket, Duration idleTimeout) {
    this.socket = socket.toAbsolutePath();
    this.idleTimeout = idleTimeout;
  }

  static Path pidFile(Path socket) {
    return socket.resolveSibling("engine.pid");
  }

  /** Serves until idle, stale or told to stop; returns once every command has finished. */
  public int serve() throws IOException, InterruptedException {
    Path dir = PrivateDirectory.require(socket.getParent(), "the engine's socket directory");
    lockChannel = FileChannel.open(dir.resolve("engine.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockChannel.tryLock();
    if (lock == null) {
      System.err.println("engine: another engine serves " + socket);
      lockChannel.close();
      return 0;
    }
    Files.deleteIfExists(socket); // left by an engine that was killed
    int listener = UnixSockets.listen(socket);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    Durable.writeUnchecked(pidFile(socket), (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
    SessionStreams.install();
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      Signal.handle(new Signal(name), s -> stopServing("SIG" + name));
    }
    serving = true;
    System.err.println(Instant.now() + " engine: pid " + ProcessHandle.current().pid() + " serving " + socket);
    try {
      acceptLoop(listener);
    } finally {
      Descriptors.close(listener);
    }
    awaitCommands();
    System.err.println(Instant.now() + " engine: exiting");
    return 0;
  }

  boolean serving() {
    return serving;
  }

  private void acceptLoop(int listener) throws IOException {
    while (serving) {
      if (UnixSockets.awaitConnection(listener, POLL_MILLIS)) {
        acceptPending(listener);
      }
      if (stamp.changed()) {
        stopServing("stale: the jars were rebuilt");
      } else if (idle()) {
        stopServing("idle for " + idleTimeout.toSeconds() + " s");
      }
    }
    // Clients that connected before the socket was unlinked get an answer: run in a fresh JVM.
    acceptPending(listener);
  }

  private void acceptPending(int listener) {
    for (int fd = UnixSockets.accept(listener); fd >= 0; fd = UnixSockets.accept(listener)) {
      synchronized (activity) {
        running++;
      }
      Thread.ofPlatform().name("engine client " + fd).start(new ClientConnection(fd, this));
    }
  }

  /** A connection ended (its command finished, or it was sent back). */
  void finished() {
    synchronized (activity) {
      running--;
      idleSince = Instant.now();
      activity.notifyAll();
    }
  }

  private boolean idle() {
    synchronized (activity) {
      return running == 0 && Duration.between(idleSince, Instant.now()).compareTo(idleTimeout) >= 0;
    }
  }

  private void awaitCommands() throws InterruptedException {
    synchronized (activity) {
      while (running > 0) {
        activity.wait();
      }
    }
  }

  /**
   * Unlinks the socket first, so that the next client starts a new engine, then gives the lock to
   * that engine; the commands running here go on to their end.
   */
  synchronized void stopServing(String why) {
    if (!serving) {
      return;
    }
    serving = false;
    System.err.println(Instant.now() + " engine: stops serving (" + why + ")");
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(pidFile(socket));
      lockChannel.close();
    } catch (IOException e) {
      System.err.println("engine: " + e.getMessage());
    }
  }
}
