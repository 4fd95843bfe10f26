package org.jocker.cli;

import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import org.jocker.cli.format.TemplateException;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.OciRuntimeException;

/**
 * Docker's way of failing a command: "jocker: MESSAGE." on stderr, then "See 'jocker run --help'."
 * where the input was at fault, and the exit code of the failure (125 unless it says otherwise).
 */
public final class EngineErrors {
  private EngineErrors() {}

  public static int handled(JockerCommand jocker, IntSupplier command) {
    try {
      return command.getAsInt();
    } catch (EngineException e) {
      return report(jocker, e.getMessage(), e, e.exitCode());
    } catch (ImageException | OciRuntimeException | KernelException | UncheckedIOException | TemplateException e) {
      return report(jocker, e.getMessage(), e, ExitCodes.ENGINE_ERROR);
    }
  }

  private static int report(JockerCommand jocker, String message, Exception e, int code) {
    String line = message == null ? e.toString() : message.lines().findFirst().orElse("").strip();
    System.err.println("jocker: " + line);
    if (jocker.debug()) {
      e.printStackTrace();
    }
    return code;
  }
}
