package org.jocker.cli.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.Main;
import org.jocker.cli.session.Descriptors;
import org.jocker.cli.session.Session;
import org.jocker.kernel.UnixSockets;

/**
 * One client of the engine: reads its request, runs the command on a thread of its own as the
 * client's session, passes on the signals the client forwards, and sends back the exit code.
 * This thread owns the socket: it closes it only after the command has finished.
 */
final class ClientConnection implements Runnable {
  private static final int SIGWINCH = 28;

  private final int socket;
  private final EngineServer server;
  private final AtomicBoolean answered = new AtomicBoolean();

  ClientConnection(int socket, EngineServer server) {
    this.socket = socket;
    this.server = server;
  }

  @Override
  public void run() {
    try {
      if (UnixSockets.peerUid(socket) != 0) {
        return; // the socket is root's (0600 in a 0700 directory); this is a second line of defence
      }
      Request request = Request.read(socket);
      if (!server.serving() || mustRunLocally(request.args())) {
        for (int fd : request.stdio()) {
          Descriptors.close(fd);
        }
        answer(Frames.FALLBACK, 0);
        return;
      }
      ClientLauncherParent launcherParent = new ClientLauncherParent(socket, UnixSockets.peerPid(socket));
      RemoteSession session = new RemoteSession(request.stdio(), request.env(), request.cwd(), launcherParent);
      Thread command = Thread.ofPlatform().name("jocker " + String.join(" ", request.args()))
          .start(() -> runCommand(session, request.args()));
      try {
        readFrames(session, launcherParent, command);
      } finally {
        launcherParent.hungUp(); // a spawn still waiting for its answer fails
      }
      if (!answered.get()) {
        session.callerGone(); // killed, or it hung up: a pull or push for it stops
      }
      command.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("engine: client: " + e.getMessage());
    } finally {
      Descriptors.close(socket);
      server.finished();
    }
  }

  /**
   * Commands that run in a fresh JVM: `engine` (it manages this process). The runtime's `create`,
   * `run` and `exec` are served here too: their launcher, whose processes must descend from the
   * caller (engines such as podman reap containers as their subreaper), is spawned by the client
   * ({@link ClientLauncherParent}).
   */
  static boolean mustRunLocally(List<String> args) {
    int command = firstWord(args, 0);
    return command >= 0 && args.get(command).equals("engine");
  }
  /** Options of jocker and of runc's command line that take a value as the next word. */
  private static final Set<String> VALUED_OPTIONS = Set.of("--root", "--log", "--log-format", "--criu");

  /** The index of the first word from {@code from} on that is not an option or an option's value; -1 if none. */
  private static int firstWord(List<String> args, int from) {
    for (int i = from; i < args.size(); i++) {
      String a = args.get(i);
      if (VALUED_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  private void runCommand(RemoteSession session, List<String> args) {
    int code;
    try {
      code = Session.with(session, () -> Main.run(args.toArray(String[]::new)));
    } catch (Throwable t) {
      code = ExitCodes.ENGINE_ERROR;
      try {
        Descriptors.output(session::stderr).write(("jocker: " + t + "\n").getBytes());
      } catch (java.io.IOException ignored) {
        // the client's stderr is gone
      }
    } finally {
      session.close();
    }
    answer(Frames.EXIT, code);
    UnixSockets.shutdown(socket); // wakes readFrames
  }

  /**
   * Reads the client's frames until it hangs up (after the exit code, or if it died): signals for
   * the command, and the answers to the launcher spawns it does for the command.
   */
  private void readFrames(RemoteSession session, ClientLauncherParent launcherParent, Thread command) {
    byte[] frame = new byte[Frames.SIZE];
    int have = 0;
    while (true) {
      UnixSockets.Received r;
      try {
        r = UnixSockets.receive(socket, Frames.SIZE - have);
      } catch (RuntimeException e) {
        return;
      }
      for (int fd : r.fds()) {
        Descriptors.close(fd);
      }
      if (r.data().length == 0) {
        return;
      }
      System.arraycopy(r.data(), 0, frame, have, r.data().length);
      have += r.data().length;
      if (have < Frames.SIZE) {
        continue;
      }
      have = 0;
      if (Frames.type(frame) == Frames.SPAWNED) {
        launcherParent.replied(Frames.value(frame));
      } else if (Frames.type(frame) == Frames.SIGNAL) {
        int signal = Frames.value(frame);
        if (!session.deliver(signal) && signal != SIGWINCH) {
          // Nobody forwards it: the command ends as an unhandled signal would end a fresh JVM.
          answer(Frames.EXIT, 128 + signal);
          command.interrupt();
        }
      }
    }
  }

  /** The one answer the client gets (an exit code or a fallback); later ones are dropped. */
  private void answer(int type, int value) {
    if (answered.compareAndSet(false, true)) {
      try {
        UnixSockets.send(socket, Frames.encode(type, value));
      } catch (RuntimeException e) {
        // the client is gone; the command's effects stand
      }
    }
  }
}
