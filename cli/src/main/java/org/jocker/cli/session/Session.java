package org.jocker.cli.session;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LauncherParent;

/**
 * Who runs a command: its standard streams, environment, working directory and the signals it
 * receives. In a fresh JVM that is this process ({@link LocalSession}); in the resident engine it is
 * the native client at the other end of the socket. Commands reach the caller only through here,
 * so the same command code serves both.
 */
public interface Session {
  /** The caller's standard input, output and error as descriptors valid in this process. */
  int stdin();

  int stdout();

  int stderr();

  /** The caller's environment (for `-e NAME`, which passes the caller's value). */
  Map<String, String> env();

  /** The caller's working directory, against which relative paths on its command line resolve. */
  Path cwd();

  default Path path(String argument) {
    return cwd().resolve(argument).normalize();
  }

  /** The caller's pid (whose descriptors runc's --preserve-fds passes on). */
  long pid();

  /**
   * The process that starts the runtime's launcher for the caller, so that a container created by
   * `runtime create`, `run` or `exec` descends from the caller, as with runc.
   */
  LauncherParent launcherParent(Kernel kernel);

  /**
   * Calls {@code handler} with the number of each signal the caller receives (INT, TERM, HUP,
   * QUIT, USR1, USR2, WINCH) until the subscription is closed; meanwhile those signals do not end
   * the caller.
   */
  Subscription onSignals(IntConsumer handler);

  /**
   * Calls {@code handler} once if the caller goes away (killed, or hung up) before the command has
   * ended and the subscription is closed, so that work done only for it stops, as Docker's daemon
   * cancels a request whose client disconnected. In a fresh JVM the caller is this process: it
   * never goes away on its own.
   */
  default Subscription onCallerGone(Runnable handler) {
    return () -> {};
  }

  /**
   * Interrupts this thread if the caller goes away (see {@link #onCallerGone}): a pull or push
   * stops its transfers, keeping what it stored.
   */
  default Subscription interruptIfCallerGone() {
    return onCallerGone(Thread.currentThread()::interrupt);
  }

  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** The session of the command running on this thread (threads it starts inherit it). */
  static Session current() {
    return Holder.CURRENT.get();
  }

  /** Runs {@code command} on this thread as {@code session}'s. */
  static <T> T with(Session session, Callable<T> command) throws Exception {
    Session before = Holder.CURRENT.get();
    Holder.CURRENT.set(session);
    try {
      return command.call();
    } finally {
      Holder.CURRENT.set(before);
    }
  }

  final class Holder {
    private static final InheritableThreadLocal<Session> CURRENT = new InheritableThreadLocal<>() {
      @Override
      protected Session initialValue() {
        return LocalSession.instance();
      }
    };

    private Holder() {}
  }
}
