package org.jocker.images.layer;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.jocker.kernel.OwnThread;

/**
 * Runs a call in a directory without moving the JVM there. The working directory belongs to every
 * thread of a process; a new thread takes a copy of its own (unshare(CLONE_FS)), moves into the
 * directory, makes the call and ends, taking its copy with it. The kernel resolves relative paths,
 * mount options' included, against the calling thread's copy.
 */
final class OwnWorkingDirectory {
  private static final int CLONE_FS = 0x200;
  private static final MethodHandle UNSHARE =
      errnoFunction("unshare", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle CHDIR =
      errnoFunction("chdir", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

  private OwnWorkingDirectory() {}

  /** Runs {@code call} in {@code directory}, on a thread of its own; its failure is rethrown here. */
  static void run(Path directory, Runnable call) {
    OwnThread.call("jocker-in-" + directory, () -> {
      enter(directory);
      call.run();
      return null;
    });
  }

  private static void enter(Path directory) {
    invoke((arena, st) -> {
      if ((int) UNSHARE.invokeExact(st, CLONE_FS) < 0) {
        throw new FileSystemCallException("unshare CLONE_FS to work in " + directory, errno(st));
      }
      if ((int) CHDIR.invokeExact(st, arena.allocateFrom(directory.toString())) < 0) {
        throw new FileSystemCallException("chdir " + directory, errno(st));
      }
      return null;
    });
  }
}
