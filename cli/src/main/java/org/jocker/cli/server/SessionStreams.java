package org.jocker.cli.server;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;
import org.jocker.cli.session.Descriptors;
import org.jocker.cli.session.Session;

/**
 * System.out, System.err and System.in for a JVM that runs many callers' commands at once: each
 * call goes to the stream of the session of the calling thread (the engine's own threads keep
 * the engine's streams: its log). Each session has its own PrintStream, so a client that stops
 * reading its output blocks only its own command, not every System.out user.
 */
final class SessionStreams {
  private SessionStreams() {}

  static void install() {
    PrintStream engineOut = System.out;
    PrintStream engineErr = System.err;
    System.setOut(new Routed(engineOut, RemoteSession::out));
    System.setErr(new Routed(engineErr, RemoteSession::err));
    System.setIn(Descriptors.input(() -> Session.current().stdin()));
  }

  /** A PrintStream that forwards every call to the current session's stream. */
  private static final class Routed extends PrintStream {
    private final PrintStream engine;
    private final Function<RemoteSession, PrintStream> ofSession;

    Routed(PrintStream engine, Function<RemoteSession, PrintStream> ofSession) {
      super(engine, true);
      this.engine = engine;
      this.ofSession = ofSession;
    }

    private PrintStream target() {
      return Session.current() instanceof RemoteSession r ? ofSession.apply(r) : engine;
    }

    @Override public void flush() { target().flush(); }
    @Override public void close() { target().flush(); }
    @Override public boolean checkError() { return target().checkError(); }
    @Override public void write(int b) { target().write(b); }
    @Override public void write(byte[] b, int off, int len) { target().write(b, off, len); }
    @Override public void write(byte[] b) { target().write(b, 0, b.length); }
    @Override public void writeBytes(byte[] b) { target().write(b, 0, b.length); }
    @Override public void print(boolean b) { target().print(b); }
    @Override public void print(char c) { target().print(c); }
    @Override public void print(int i) { target().print(i); }
    @Override public void print(long l) { target().print(l); }
    @Override public void print(float f) { target().print(f); }
    @Override public void print(double d) { target().print(d); }
    @Override public void print(char[] s) { target().print(s); }
    @Override public void print(String s) { target().print(s); }
    @Override public void print(Object obj) { target().print(obj); }
    @Override public void println() { target().println(); }
    @Override public void println(boolean x) { target().println(x); }
    @Override public void println(char x) { target().println(x); }
    @Override public void println(int x) { target().println(x); }
    @Override public void println(long x) { target().println(x); }
    @Override public void println(float x) { target().println(x); }
    @Override public void println(double x) { target().println(x); }
    @Override public void println(char[] x) { target().println(x); }
    @Override public void println(String x) { target().println(x); }
    @Override public void println(Object x) { target().println(x); }
    @Override public PrintStream printf(String format, Object... args) { return target().printf(format, args); }
    @Override public PrintStream printf(Locale l, String format, Object... args) { return target().printf(l, format, args); }
    @Override public PrintStream format(String format, Object... args) { return target().format(format, args); }
    @Override public PrintStream format(Locale l, String format, Object... args) { return target().format(l, format, args); }
    @Override public PrintStream append(CharSequence csq) { return target().append(csq); }
    @Override public PrintStream append(CharSequence csq, int start, int end) { return target().append(csq, start, end); }
    @Override public PrintStream append(char c) { return target().append(c); }
  }
}
