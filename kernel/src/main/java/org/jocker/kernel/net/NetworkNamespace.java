package org.jocker.kernel.net;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.OpenFlags;
import org.jocker.kernel.OwnThread;

/**
 * A network namespace kept alive by a bind mount of its nsfs file (as {@code ip netns add} does),
 * made and entered without a process: the network namespace belongs to each thread, so a new
 * thread of ours unshares or joins it, does its work there (netlink sockets it opens stay in that
 * namespace) and ends, and no other thread of the JVM ever changes namespace.
 */
public final class NetworkNamespace {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final long MS_BIND = 0x1000;
  private static final int MNT_DETACH = 2;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final MethodHandle UNSHARE = errnoFunction("unshare", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle SETNS = errnoFunction("setns", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle MOUNT = errnoFunction("mount", FunctionDescriptor.of(INT,
      ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
  private static final MethodHandle UMOUNT2 =
      errnoFunction("umount2", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));

  private final Path file;

  private NetworkNamespace(Path file) {
    this.file = file;
  }

  /** The namespace whose nsfs file is bound at {@code file} (made by {@link #create} or {@code ip netns add}). */
  public static NetworkNamespace at(Path file) {
    return new NetworkNamespace(file);
  }

  /**
   * A new namespace bound at {@code file} (which must not exist), with its loopback up, as a
   * container's network namespace starts in Docker. A failure leaves no file behind.
   */
  public static NetworkNamespace create(Path file) {
    try {
      Files.createFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("network namespace file " + file, e);
    }
    NetworkNamespace namespace = new NetworkNamespace(file);
    try {
      onOwnThread(() -> {
        invoke((arena, st) -> {
          if ((int) UNSHARE.invokeExact(st, CLONE_NEWNET) < 0) {
            throw new KernelException("unshare CLONE_NEWNET", errno(st));
          }
          MemorySegment source = arena.allocateFrom("/proc/thread-self/ns/net");
          MemorySegment target = arena.allocateFrom(file.toString());
          if ((int) MOUNT.invokeExact(st, source, target, MemorySegment.NULL, MS_BIND, MemorySegment.NULL) < 0) {
            throw new KernelException("mount --bind /proc/thread-self/ns/net", file.toString(), errno(st));
          }
          return null;
        });
        try (RouteNetlink links = RouteNetlink.open()) {
          links.setUp("lo");
        }
        return null;
      });
    } catch (RuntimeException e) {
      namespace.remove();
      throw e;
    }
    return namespace;
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} on a thread of its own inside this namespace and returns its result. */
  public <T> T call(Supplier<T> work) {
    try (Descriptor namespace = Descriptor.open(file, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC)) {
      return onOwnThread(() -> {
        invoke((arena, st) -> {
          if ((int) SETNS.invokeExact(st, namespace.number(), CLONE_NEWNET) < 0) {
            throw new KernelException("setns", file.toString(), errno(st));
          }
          return null;
        });
        return work.get();
      });
    }
  }

  /** Opens the namespace file, e.g. to name it to the kernel as a veth peer's namespace. */
  Descriptor open() {
    return Descriptor.open(file, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
  }

  /**
   * Unbinds and deletes the file. The namespace itself, and the interfaces in it, go when its last
   * process has left too: the kernel then deletes a veth pair with it, without a netlink request.
   */
  public void remove() {
    invoke((arena, st) -> {
      if ((int) UMOUNT2.invokeExact(st, arena.allocateFrom(file.toString()), MNT_DETACH) < 0) {
        int err = errno(st);
        if (err != Errno.EINVAL && err != Errno.ENOENT) { // not bound (any more): nothing to undo
          throw new KernelException("umount", file.toString(), err);
        }
      }
      return null;
    });
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("network namespace file " + file, e);
    }
  }

  private static <T> T onOwnThread(Supplier<T> work) {
    return OwnThread.call("jocker-netns", work);
  }

  @Override
  public String toString() {
    return "network namespace " + file;
  }
}
