package org.jocker.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * What every call into libc through the FFM API shares: finding the function, capturing errno
 * right after the call (the JVM may overwrite it before Java could read it), and a confined arena
 * for the call's memory. Used by the runtime's kernel calls, the image store's file system calls and
 * {@link UnixSockets}.
 */
public final class NativeCalls {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_HANDLE =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private NativeCalls() {}

  /** A libc function (e.g. a variadic one with {@code Linker.Option.firstVariadicArg}). */
  public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
  }

  /** A libc function whose first argument becomes the call-state segment that receives errno. */
  public static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
    Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
    all[options.length] = ERRNO;
    return function(name, descriptor, all);
  }

  /** A native call made with a confined arena and a call-state segment for errno. */
  public interface Call<T> {
    T call(Arena arena, MemorySegment callState) throws Throwable;
  }

  public static <T> T invoke(Call<T> call) {
    try (Arena arena = Arena.ofConfined()) {
      return call.call(arena, arena.allocate(CALL_STATE));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The errno an {@link #errnoFunction} call left in its call-state segment. */
  public static int errno(MemorySegment callState) {
    return (int) ERRNO_HANDLE.get(callState, 0L);
  }
}
