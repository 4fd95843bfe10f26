package org.jocker.engine.attach;

import java.io.OutputStream;
import java.util.OptionalInt;
import org.jocker.kernel.Terminal;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;

/** A caller given as descriptors (-1: this process's own 0, 1 and 2). */
public record DescriptorCaller(Kernel kernel, int stdin, int out, int err) implements Caller {

  public static DescriptorCaller of(Kernel kernel, Stdio stdio) {
    return new DescriptorCaller(kernel, stdio.in() < 0 ? 0 : stdio.in(), stdio.out() < 0 ? 1 : stdio.out(),
        stdio.err() < 0 ? 2 : stdio.err());
  }

  @Override
  public OutputStream stdout() {
    return stream(out);
  }

  @Override
  public OutputStream stderr() {
    return stream(err);
  }

  @Override
  public OptionalInt terminal() {
    if (Terminal.isTerminal(stdin)) {
      return OptionalInt.of(stdin);
    }
    return Terminal.isTerminal(out) ? OptionalInt.of(out) : OptionalInt.empty();
  }

  private OutputStream stream(int fd) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        kernel.writeFully(fd, new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] b, int off, int len) {
        kernel.writeFully(fd, off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len));
      }
    };
  }
}
