package org.jocker.cli;

import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import org.jocker.cli.format.TemplateException;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.OciRuntimeException;

/**
 * Docker's way of failing a command: "jocker: MESSAGE" on stderr and the exit code of the failure.
 * The engine says what went wrong ({@link EngineException.Kind}); the words around its message
 * and the exit code are chosen here, in {@link #reportOf}, and nowhere else:
 *
 * <pre>
 * kind                                  | Style.RUN               | Style.DAEMON_RESPONSE
 * --------------------------------------+-------------------------+------------------------------------
 * CANNOT_INVOKE                         | 126                     | 126
 * COMMAND_NOT_FOUND                     | 127                     | 127
 * START_FAILED                          | 125                     | 125
 * any other, checked by the client      | 1                       | 1
 * any other (NOT_FOUND, CONFLICT,       | 125                     | 1, "Error response from daemon: "
 *   INVALID_ARGUMENT, NOT_MODIFIED,     |                         |
 *   FORBIDDEN, INTERNAL)                |                         |
 * </pre>
 *
 * {@link Style#RUN} is how Docker's {@code run} reports (125: the engine failed, not the
 * container), and jocker's other commands do the same; {@link Style#DAEMON_RESPONSE} is how
 * Docker's container commands that jocker follows to the letter (exec, cp, top, stats, port)
 * report the daemon's answer. The three ways a container's process fails to start are reported
 * as that process's start reports them, never as the daemon's answer. An error that Docker's client finds itself (attach to a stopped
 * container, cp's host side) is its own, never the daemon's, whatever the style. The runtime's,
 * the image store's and the kernel's exceptions are the engine's failures: 125.
 */
public final class EngineErrors {
  /** How a command shows the engine's errors. */
  public enum Style {
    /** As Docker's {@code run}: the message as it is, exit 125. */
    RUN,
    /** As Docker's exec, cp, top...: "Error response from daemon: MESSAGE", exit 1. */
    DAEMON_RESPONSE
  }

  /** What the CLI shows for an error: the exit code and the words before the engine's message. */
  public record Report(int exitCode, String prefix) {}

  static final String DAEMON_PREFIX = "Error response from daemon: ";

  private EngineErrors() {}

  /** Runs a command whose errors are shown as Docker's {@code run} shows them. */
  public static int handled(JockerCommand jocker, IntSupplier command) {
    return handled(jocker, Style.RUN, command);
  }

  public static int handled(JockerCommand jocker, Style style, IntSupplier command) {
    try {
      return command.getAsInt();
    } catch (EngineException e) {
      Report r = reportOf(e.kind(), e.isCheckedByClient(), style);
      return report(jocker, r.prefix(), e, r.exitCode());
    } catch (ImageException | OciRuntimeException | KernelException | UncheckedIOException | TemplateException e) {
      return report(jocker, "", e, ExitCodes.ENGINE_ERROR);
    }
  }

  /** The table above. */
  public static Report reportOf(EngineException.Kind kind, boolean checkedByClient, Style style) {
    return switch (kind) {
      case CANNOT_INVOKE -> new Report(ExitCodes.CANNOT_INVOKE, "");
      case COMMAND_NOT_FOUND -> new Report(ExitCodes.NOT_FOUND, "");
      case START_FAILED -> new Report(ExitCodes.ENGINE_ERROR, "");
      case NOT_FOUND, CONFLICT, INVALID_ARGUMENT, NOT_MODIFIED, FORBIDDEN, INTERNAL -> {
        if (checkedByClient) {
          yield new Report(ExitCodes.CLIENT_ERROR, "");
        }
        yield switch (style) {
          case RUN -> new Report(ExitCodes.ENGINE_ERROR, "");
          case DAEMON_RESPONSE -> new Report(ExitCodes.CLIENT_ERROR, DAEMON_PREFIX);
        };
      }
    };
  }

  private static int report(JockerCommand jocker, String prefix, Exception e, int code) {
    String message = e.getMessage();
    String line = message == null ? e.toString() : message.lines().findFirst().orElse("").strip();
    System.err.println("jocker: " + prefix + line);
    if (jocker.debug()) {
      e.printStackTrace();
    }
    return code;
  }
}
