package org.jocker.cli.session;

import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import org.jocker.engine.attach.Caller;
import org.jocker.kernel.Terminal;

/**
 * The session's caller as the engine sees it when a container is attached to it. Output goes
 * through System.out and System.err, which are the session's (and what tests capture).
 */
public record SessionCaller(Session session) implements Caller {

  /** The caller of the command running on this thread. */
  public static SessionCaller current() {
    return new SessionCaller(Session.current());
  }

  @Override
  public int stdin() {
    return session.stdin();
  }

  @Override
  public OutputStream stdout() {
    return System.out;
  }

  @Override
  public OutputStream stderr() {
    return System.err;
  }

  @Override
  public OptionalInt terminal() {
    if (Terminal.isTerminal(session.stdin())) {
      return OptionalInt.of(session.stdin());
    }
    return Terminal.isTerminal(session.stdout()) ? OptionalInt.of(session.stdout()) : OptionalInt.empty();
  }

  @Override
  public Subscription onSignals(IntConsumer handler) {
    Session.Subscription s = session.onSignals(handler);
    return s::close;
  }
}
