package org.jocker.engine;

/**
 * An engine operation failed, with the exit code Docker gives for it: 125 for the engine's own
 * errors, 126 when the command cannot be invoked, 127 when it is not found.
 */
public final class EngineException extends RuntimeException {
  private final int exitCode;

  public EngineException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public EngineException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
