package org.jocker.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;

/** What a command run on descriptors wrote (stdout and stderr into one pipe), and its exit code. */
public record Captured(int code, String out) {

  /** Runs {@code command} with our stdin and a pipe as its stdout and stderr. */
  public static Captured of(Kernel kernel, ToIntFunction<Stdio> command) {
    Kernel.Pipe pipe = kernel.pipe();
    int code;
    try {
      code = command.applyAsInt(new Stdio(-1, pipe.writeFd(), pipe.writeFd()));
    } finally {
      kernel.close(pipe.writeFd());
    }
    return new Captured(code, drain(kernel, pipe.readFd()));
  }

  /** Reads {@code fd} to its end, as UTF-8, and closes it. */
  public static String drain(Kernel kernel, int fd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = kernel.read(fd, buf, 0, buf.length)) > 0; ) {
      out.write(buf, 0, n);
    }
    kernel.close(fd);
    return out.toString(StandardCharsets.UTF_8);
  }
}
