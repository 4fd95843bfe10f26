package org.jocker.cli.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;

/**
 * A pseudo-terminal with one process on it, as a user's terminal would have `jocker run -it`:
 * the test types on the master side and reads what the process shows.
 */
public final class TestTerminal implements AutoCloseable {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final int O_RDWR = 2;
  private static final int O_NOCTTY = 0x100;
  private static final int O_CLOEXEC = 0x80000;
  private static final long TIOCSWINSZ = 0x5414;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

  private static final MethodHandle OPENPT = call("posix_openpt", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle GRANTPT = call("grantpt", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle UNLOCKPT = call("unlockpt", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle PTSNAME_R = call("ptsname_r",
      FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
  private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
      FunctionDescriptor.of(INT, INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));

  private final Kernel kernel = new LinuxKernel();
  private final int master;
  private final StringBuilder screen = new StringBuilder();
  private boolean closed; // guarded by screen
  private int pid = -1;
  private CompletableFuture<Integer> exit;

  private static MethodHandle call(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
  }

  private TestTerminal(int master) {
    this.master = master;
  }

  /** A terminal of the given size running argv (its stdin, stdout and stderr). */
  public static TestTerminal start(int rows, int columns, List<String> argv) {
    try (Arena arena = Arena.ofConfined()) {
      int master = (int) OPENPT.invokeExact(O_RDWR | O_NOCTTY | O_CLOEXEC);
      MemorySegment name = arena.allocate(128);
      if (master < 0 || (int) GRANTPT.invokeExact(master) != 0 || (int) UNLOCKPT.invokeExact(master) != 0
          || (int) PTSNAME_R.invokeExact(master, name, 128L) != 0) {
        throw new IllegalStateException("cannot open a pseudo-terminal");
      }
      int slave = (int) OPEN.invokeExact(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
      TestTerminal t = new TestTerminal(master);
      t.resize(rows, columns);
      List<String> env = new ArrayList<>();
      System.getenv().forEach((k, v) -> env.add(k + "=" + v));
      t.pid = t.kernel.spawn(argv.get(0), argv, env, new int[] {slave, slave, slave});
      t.kernel.close(slave); // the process's copies are the last: its end shows as EIO here
      t.exit = CompletableFuture.supplyAsync(() -> decode(t.kernel.waitPid(t.pid)));
      Thread.ofPlatform().daemon().start(t::readScreen);
      return t;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static int decode(int status) {
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
  }

  private void readScreen() {
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = kernel.read(master, buf, 0, buf.length)) > 0; ) {
        synchronized (screen) {
          screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          screen.notifyAll();
        }
      }
    } catch (RuntimeException e) {
      // EIO: the process and its children have closed the terminal
    } finally {
      synchronized (screen) {
        closed = true;
        screen.notifyAll();
      }
    }
  }

  /**
   * Waits until the process and its children have closed the terminal; returns what the screen
   * showed after what {@link #expect} consumed.
   */
  public String rest(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (screen) {
      while (!closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the terminal is still open; it shows: " + screen);
        }
        TimeUnit.NANOSECONDS.timedWait(screen, left);
      }
      String seen = screen.toString();
      screen.setLength(0);
      return seen;
    }
  }

  public int pid() {
    return pid;
  }

  /** Waits until the screen shows text after what earlier expects consumed; returns what came before it. */
  public String expect(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (screen) {
      while (screen.indexOf(text) < 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("terminal did not show \"" + text + "\"; it shows: " + screen);
        }
        TimeUnit.NANOSECONDS.timedWait(screen, left);
      }
      int end = screen.indexOf(text) + text.length();
      String seen = screen.substring(0, end);
      screen.delete(0, end);
      return seen;
    }
  }

  /** Types text (control characters included). */
  public void type(String text) {
    kernel.writeFully(master, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Changes the window size, then tells the process as the terminal would (SIGWINCH). */
  public void resize(int rows, int columns) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ws = arena.allocate(8);
      ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
      ws.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
      int ignored = (int) IOCTL.invokeExact(master, TIOCSWINSZ, ws);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(p -> signal("WINCH"));
    }
  }

  public void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Integer.toString(pid)).start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The process's exit code (128 + n when signal n ended it). */
  public int waitFor(Duration timeout) throws Exception {
    return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (!exit.isDone()) {
      signal("KILL");
      exit.join();
    }
    kernel.close(master);
  }
}
