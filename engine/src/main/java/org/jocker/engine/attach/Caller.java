package org.jocker.engine.attach;

import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * The other end of an attached container: the user's terminal or pipes (through the CLI, in this
 * JVM or the resident engine's client), seen by the engine.
 */
public interface Caller {
  /** The descriptor the caller's input is read from, or -1 when it gives none. */
  int stdin();

  OutputStream stdout();

  OutputStream stderr();

  /** The caller's terminal (stdin's, else stdout's), whose size a container's pty follows. */
  default OptionalInt terminal() {
    return OptionalInt.empty();
  }

  /** Calls handler with each signal the caller receives until closed; by default none arrive. */
  default Subscription onSignals(IntConsumer handler) {
    return () -> {};
  }

  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
