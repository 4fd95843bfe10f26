package org.jocker.cli.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.UnixSockets;
import org.jocker.runtime.launch.LauncherParent;

/**
 * The native client as the launcher's parent, for the runtime commands the engine serves
 * (`runtime create`, `run`, `exec`): the engine computes everything and sends the client a spawn
 * frame, and the client forks and execs the launcher with the descriptors given, so the container
 * descends from the caller and no JVM starts for it.
 *
 * <p>The frame (client.c, FRAME_SPAWN): u32 type, i32 body length, then the body: u32 slot count,
 * one i32 per slot of the child's descriptors (n >= 0: the n-th descriptor attached to the frame;
 * n < 0: the client's own fd -n - 1), u32 argc, the path and argv NUL-terminated. The engine's
 * descriptors travel attached to the frame's first byte. The client answers with a SPAWNED frame
 * holding the child's pid, or -errno; it reaps the child itself.
 */
final class ClientLauncherParent implements LauncherParent {
  private static final int GONE = Integer.MIN_VALUE;

  private final int socket;
  private final long clientPid;
  private final LinkedBlockingQueue<Integer> replies = new LinkedBlockingQueue<>();

  ClientLauncherParent(int socket, long clientPid) {
    this.socket = socket;
    this.clientPid = clientPid;
  }

  @Override
  public long pid() {
    return clientPid;
  }

  @Override
  public synchronized int spawn(String path, List<String> argv, List<ChildFd> fds) {
    List<Integer> passed = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(u32(fds.size()));
    for (ChildFd fd : fds) {
      if (fd.parents()) {
        body.writeBytes(u32(-fd.fd() - 1));
      } else {
        body.writeBytes(u32(passed.size()));
        passed.add(fd.fd());
      }
    }
    body.writeBytes(u32(argv.size()));
    cString(body, path);
    argv.forEach(arg -> cString(body, arg));
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes(Frames.encode(Frames.SPAWN, body.size()));
    frame.writeBytes(body.toByteArray());
    UnixSockets.sendWithFds(socket, frame.toByteArray(), passed.stream().mapToInt(Integer::intValue).toArray());
    int reply;
    try {
      reply = replies.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KernelException("spawn " + path + " by the client: interrupted", Errno.EINTR);
    }
    if (reply == GONE) {
      throw new KernelException("spawn " + path + " by the client: the client went away", Errno.EPIPE);
    }
    if (reply < 0) {
      throw new KernelException("spawn " + path + " by the client", -reply);
    }
    return reply;
  }

  @Override
  public void reap(int pid) {
    // the client reaps its children itself
  }

  /** The client's SPAWNED frame. */
  void replied(int value) {
    replies.add(value);
  }

  /** The client hung up: a spawn waiting for its answer fails. */
  void hungUp() {
    replies.add(GONE);
  }

  private static void cString(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }
}
