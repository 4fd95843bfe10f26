package org.jocker.engine.attach;

import java.io.IOException;
import java.util.function.IntConsumer;
import org.jocker.kernel.Terminal;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Attachment;
import org.jocker.runtime.linux.Signal;

/**
 * Connects a caller to an attached container until the container ends or the caller detaches:
 * output to the caller as it comes; the caller's input to the container's stdin; with a terminal,
 * raw mode, window size changes and the detach keys; other signals the caller gets go to the
 * container (Docker's --sig-proxy).
 *
 * @param tty the container has a terminal kept by its monitor
 * @param stdin copy the caller's input (the container was created with an open stdin)
 * @param closeStdinAtEnd the caller's end of input closes the container's stdin (Docker's
 *     StdinOnce: true for run and start, false for attach)
 */
public record AttachedStreams(boolean tty, boolean stdin, boolean closeStdinAtEnd) {

  public enum Outcome { ENDED, DETACHED }

  /** Streams until the end; signals go to forwardSignal (null: not forwarded). */
  public Outcome stream(Kernel kernel, Attachment attachment, Caller caller, IntConsumer forwardSignal) {
    boolean readInput = stdin && caller.stdin() >= 0;
    Terminal.Settings raw = tty && readInput ? Terminal.makeRaw(caller.stdin()).orElse(null) : null;
    Kernel.Pipe wake = kernel.pipe();
    InputCopier input = new InputCopier(kernel, attachment, caller.stdin(), wake.readFd());
    try (Caller.Subscription signals = caller.onSignals(sig -> onSignal(sig, attachment, caller, forwardSignal))) {
      if (tty) {
        resize(attachment, caller);
      }
      Thread copier = null;
      if (stdin && !readInput && closeStdinAtEnd) {
        attachment.closeInput(); // the caller has no input: the container's ends at once
      }
      if (readInput) {
        copier = Thread.ofPlatform().name("attach-stdin").daemon().start(input);
      }
      attachment.copyOutput(caller.stdout(), caller.stderr());
      kernel.writeFully(wake.writeFd(), new byte[] {1});
      if (copier != null) {
        copier.join();
      }
      return input.detached ? Outcome.DETACHED : Outcome.ENDED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.ENDED;
    } catch (IOException e) {
      return Outcome.ENDED; // the monitor is gone: the container has ended
    } finally {
      if (raw != null) {
        Terminal.restore(raw);
      }
      attachment.close();
      kernel.close(wake.readFd());
      kernel.close(wake.writeFd());
    }
  }

  private void onSignal(int sig, Attachment attachment, Caller caller, IntConsumer forwardSignal) {
    if (sig == Signal.SIGWINCH.number()) {
      if (tty) {
        resize(attachment, caller);
      }
    } else if (forwardSignal != null) {
      forwardSignal.accept(sig);
    }
  }

  /** Gives the container's terminal the caller's size (before start: the program sees it at once). */
  public static void resize(Attachment attachment, Caller caller) {
    caller.terminal().stream().boxed().findFirst().flatMap(Terminal::windowSize).ifPresent(size -> {
      try {
        attachment.resize(size.rows(), size.columns());
      } catch (IOException e) {
        // the container has ended: nothing to resize
      }
    });
  }

  /** Copies the caller's input until its end, a detach, or a wake-up (the container ended). */
  private final class InputCopier implements Runnable {
    private final Kernel kernel;
    private final Attachment attachment;
    private final int fd;
    private final int wakeFd;
    private final DetachKeys keys = new DetachKeys();
    volatile boolean detached;

    InputCopier(Kernel kernel, Attachment attachment, int fd, int wakeFd) {
      this.kernel = kernel;
      this.attachment = attachment;
      this.fd = fd;
      this.wakeFd = wakeFd;
    }

    @Override
    public void run() {
      byte[] buf = new byte[16384];
      try {
        // Never read without data waiting: a byte read after the container ended would be lost
        // to the caller's shell.
        while (kernel.awaitReadable(fd, wakeFd)) {
          int n = kernel.read(fd, buf, 0, buf.length);
          if (n <= 0) {
            if (closeStdinAtEnd) {
              attachment.closeInput();
            }
            return;
          }
          byte[] data = tty ? keys.filter(buf, n) : java.util.Arrays.copyOf(buf, n);
          if (data == null) {
            detached = true;
            attachment.close(); // ends copyOutput
            return;
          }
          attachment.write(data, 0, data.length);
        }
      } catch (IOException | RuntimeException e) {
        // the connection or the caller's input is gone: the output side sees the end
      }
    }
  }
}
