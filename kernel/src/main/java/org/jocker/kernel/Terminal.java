package org.jocker.kernel;

import static org.jocker.kernel.NativeCalls.function;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The caller's terminal, for `run -it`, `attach` and `exec -it`: raw mode while attached (every key,
 * Ctrl-C included, goes to the container's pty) and the window size the container's pty follows.
 */
public final class Terminal {
  private static final int TCSANOW = 0;
  private static final long TIOCGWINSZ = 0x5413;
  /** glibc's struct termios is 60 bytes; leave room. */
  private static final long TERMIOS_SIZE = 64;

  private static final MethodHandle ISATTY = function("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT));
  private static final MethodHandle TCGETATTR = function("tcgetattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
  private static final MethodHandle TCSETATTR = function("tcsetattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
  private static final MethodHandle CFMAKERAW = function("cfmakeraw", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  private static final MethodHandle IOCTL = function("ioctl",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
      Linker.Option.firstVariadicArg(2));

  /** A terminal's settings as they were, to put back. */
  public record Settings(int fd, byte[] termios) {}

  public record WindowSize(int rows, int columns) {}

  private Terminal() {}

  public static boolean isTerminal(int fd) {
    try {
      return (int) ISATTY.invokeExact(fd) == 1;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Puts the terminal on fd in raw mode; returns its settings before, or empty if fd is no terminal. */
  public static Optional<Settings> makeRaw(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment termios = arena.allocate(TERMIOS_SIZE);
      if ((int) TCGETATTR.invokeExact(fd, termios) != 0) {
        return Optional.empty();
      }
      byte[] saved = termios.toArray(ValueLayout.JAVA_BYTE);
      CFMAKERAW.invokeExact(termios);
      if ((int) TCSETATTR.invokeExact(fd, TCSANOW, termios) != 0) {
        return Optional.empty();
      }
      return Optional.of(new Settings(fd, saved));
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Puts back what {@link #makeRaw} changed (quietly: the terminal may be gone). */
  public static void restore(Settings settings) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment termios = arena.allocateFrom(ValueLayout.JAVA_BYTE, settings.termios());
      int ignored = (int) TCSETATTR.invokeExact(settings.fd(), TCSANOW, termios);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static Optional<WindowSize> windowSize(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ws = arena.allocate(8);
      if ((int) IOCTL.invokeExact(fd, TIOCGWINSZ, ws) != 0) {
        return Optional.empty();
      }
      int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
      int cols = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
      return rows == 0 && cols == 0 ? Optional.empty() : Optional.of(new WindowSize(rows, cols));
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
