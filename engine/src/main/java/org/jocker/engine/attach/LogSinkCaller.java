package org.jocker.engine.attach;

import java.io.OutputStream;
import java.util.Arrays;
import org.jocker.engine.logs.LogSink;

/** A caller without input whose output goes to a log sink (for tests and `start -a` without stdin). */
public record LogSinkCaller(OutputStream stdout, OutputStream stderr) implements Caller {

  public static LogSinkCaller of(LogSink sink) {
    return new LogSinkCaller(stream(sink, false), stream(sink, true));
  }

  private static OutputStream stream(LogSink sink, boolean stderr) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        sink.write(stderr, new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] b, int off, int len) {
        sink.write(stderr, Arrays.copyOfRange(b, off, off + len));
      }
    };
  }

  @Override
  public int stdin() {
    return -1;
  }
}
