package org.jocker.cli.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LauncherParent;
import sun.misc.Signal;

/** The session of a command run in its own JVM: this process's stdio, environment and signals. */
public final class LocalSession implements Session {
  private static final LocalSession INSTANCE = new LocalSession();
  static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH");

  private final List<IntConsumer> handlers = new CopyOnWriteArrayList<>();
  private boolean installed;

  private LocalSession() {}

  public static LocalSession instance() {
    return INSTANCE;
  }

  @Override
  public int stdin() {
    return 0;
  }

  @Override
  public int stdout() {
    return 1;
  }

  @Override
  public int stderr() {
    return 2;
  }

  @Override
  public Map<String, String> env() {
    return System.getenv();
  }

  @Override
  public Path cwd() {
    return Path.of("").toAbsolutePath();
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public LauncherParent launcherParent(Kernel kernel) {
    return LauncherParent.thisProcess(kernel);
  }

  @Override
  public synchronized Subscription onSignals(IntConsumer handler) {
    if (!installed) {
      // Installed once, for good: the JVM's own handlers (INT/TERM/HUP: exit) come back with no
      // subscriber, through the fallback below.
      for (String name : FORWARDED) {
        try {
          Signal.handle(new Signal(name), this::dispatch);
        } catch (IllegalArgumentException e) {
          // the JVM keeps this one (QUIT: thread dumps)
        }
      }
      installed = true;
    }
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  private void dispatch(Signal signal) {
    if (handlers.isEmpty()) {
      if (!signal.getName().equals("WINCH")) {
        // Nobody is forwarding: behave as an unhandled signal would (128 + number, as a shell reports).
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
      return;
    }
    handlers.forEach(h -> h.accept(signal.getNumber()));
  }
}
