package org.jocker.cli.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.kernel.LinuxKernel;

/**
 * Raw descriptors of a session: streams over a descriptor number (the JDK cannot wrap an int fd),
 * and closing one. Reads and writes go straight to the kernel, unbuffered.
 */
public final class Descriptors {
  private static final LinuxKernel KERNEL = new LinuxKernel();

  private Descriptors() {}

  public static void close(int fd) {
    KERNEL.close(fd);
  }

  /** Writes go to the descriptor {@code fd} names at the time of the write. */
  public static OutputStream output(IntSupplier fd) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return;
        }
        try {
          KERNEL.writeFully(fd.getAsInt(), off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len));
        } catch (KernelException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    };
  }

  /** Reads come from the descriptor {@code fd} names at the time of the read. */
  public static InputStream input(IntSupplier fd) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        try {
          int n = KERNEL.read(fd.getAsInt(), b, off, Math.min(len, 1 << 16));
          return n == 0 ? -1 : n;
        } catch (KernelException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    };
  }
}
