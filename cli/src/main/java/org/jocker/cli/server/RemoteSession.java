package org.jocker.cli.server;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.jocker.cli.session.Descriptors;
import org.jocker.cli.session.Session;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LauncherParent;

/**
 * The native client at the other end of the engine's socket: the stdio descriptors it sent (now
 * ours), its environment and working directory, and the signals it forwards.
 */
public final class RemoteSession implements Session {
  private final int[] stdio;
  private final Map<String, String> env;
  private final Path cwd;
  private final LauncherParent launcherParent;
  private final List<IntConsumer> handlers = new CopyOnWriteArrayList<>();
  private final List<Runnable> goneHandlers = new ArrayList<>();
  private boolean gone;
  private final PrintStream out;
  private final PrintStream err;

  RemoteSession(int[] stdio, Map<String, String> env, Path cwd, LauncherParent launcherParent) {
    this.launcherParent = launcherParent;
    this.stdio = stdio.clone();
    this.env = Map.copyOf(env);
    this.cwd = cwd;
    // UTF-8 whatever the client's locale, as Docker prints.
    this.out = new PrintStream(Descriptors.output(this::stdout), true, StandardCharsets.UTF_8);
    this.err = new PrintStream(Descriptors.output(this::stderr), true, StandardCharsets.UTF_8);
  }

  /** System.out and System.err of this session's threads (see SessionStreams). */
  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  @Override
  public int stdin() {
    return stdio[0];
  }

  @Override
  public int stdout() {
    return stdio[1];
  }

  @Override
  public int stderr() {
    return stdio[2];
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public Path cwd() {
    return cwd;
  }

  /**
   * Relative paths are the client's; so are the names of a process's own files: /dev/fd/N,
   * /dev/stdin (a shell's {@code <(...)}), /proc/self/..., which would name the engine's here. They
   * become the client's /proc/PID/... (a pipe reopened there is the same pipe).
   */
  @Override
  public Path path(String argument) {
    Path path = Session.super.path(argument);
    for (Map.Entry<String, String> alias : OWN_FILES.entrySet()) {
      Path own = Path.of(alias.getKey());
      if (path.startsWith(own)) {
        return Path.of("/proc/" + pid() + alias.getValue()).resolve(own.relativize(path));
      }
    }
    return path;
  }

  /** What a process's own-file names stand for under /proc/PID. */
  private static final Map<String, String> OWN_FILES = Map.of("/dev/fd", "/fd", "/proc/self", "",
      "/proc/thread-self", "", "/dev/stdin", "/fd/0", "/dev/stdout", "/fd/1", "/dev/stderr", "/fd/2");

  @Override
  public long pid() {
    return launcherParent.pid();
  }

  /** The client: it spawns the launcher for the engine. */
  @Override
  public LauncherParent launcherParent(Kernel kernel) {
    return launcherParent;
  }

  @Override
  public Subscription onSignals(IntConsumer handler) {
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  @Override
  public Subscription onCallerGone(Runnable handler) {
    synchronized (goneHandlers) {
      if (gone) {
        handler.run();
        return () -> {};
      }
      goneHandlers.add(handler);
    }
    return () -> {
      synchronized (goneHandlers) {
        goneHandlers.remove(handler);
      }
    };
  }

  /** The client hung up before the command ended: tells those who asked (once). */
  void callerGone() {
    synchronized (goneHandlers) {
      if (!gone) {
        gone = true;
        goneHandlers.forEach(Runnable::run);
        goneHandlers.clear();
      }
    }
  }

  /** Hands a signal the client received to the command; false if nobody listens. */
  boolean deliver(int signal) {
    if (handlers.isEmpty()) {
      return false;
    }
    handlers.forEach(h -> h.accept(signal));
    return true;
  }

  /** Closes our copies of the client's descriptors once the command is done with them. */
  void close() {
    out.flush();
    err.flush();
    for (int fd : stdio) {
      Descriptors.close(fd);
    }
  }
}
