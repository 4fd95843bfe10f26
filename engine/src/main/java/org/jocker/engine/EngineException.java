package org.jocker.engine;

import java.util.Objects;

/**
 * An engine operation failed: {@link #kind()} says what went wrong and the message is Docker's own
 * text for it (what Docker prints after "Error response from daemon: "). How it is shown, and
 * with which exit code or HTTP status, is the front end's business (the CLI's {@code EngineErrors}).
 */
public final class EngineException extends RuntimeException {
  /** What went wrong; each kind has one HTTP status in Docker's Engine API. */
  public enum Kind {
    /** No such container, image, volume or file (404). */
    NOT_FOUND,
    /** The request clashes with the current state: a name in use, a stopped container, an image in use (409). */
    CONFLICT,
    /** A bad value in the request: a flag, a filter, a specification (400). */
    INVALID_ARGUMENT,
    /** There was nothing to do: already in the state asked for (304). */
    NOT_MODIFIED,
    /** Refused whatever the state: writing through a read-only mount (403). */
    FORBIDDEN,
    /** The container's command was found but cannot be run: permission, a bad user (Docker's 126). */
    CANNOT_INVOKE,
    /** The container's command was not found (Docker's 127). */
    COMMAND_NOT_FOUND,
    /** The container's process failed to start for another reason: the runtime refused it (500, Docker's 125). */
    START_FAILED,
    /** The engine itself failed (500). */
    INTERNAL
  }

  private final Kind kind;
  private final boolean checkedByClient;

  private EngineException(Kind kind, String message, Throwable cause, boolean checkedByClient) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind);
    this.checkedByClient = checkedByClient;
  }

  public static EngineException notFound(String format, Object... args) {
    return of(Kind.NOT_FOUND, null, format, args);
  }

  public static EngineException conflict(String format, Object... args) {
    return of(Kind.CONFLICT, null, format, args);
  }

  public static EngineException invalidArgument(String format, Object... args) {
    return of(Kind.INVALID_ARGUMENT, null, format, args);
  }

  public static EngineException notModified(String format, Object... args) {
    return of(Kind.NOT_MODIFIED, null, format, args);
  }

  public static EngineException forbidden(String format, Object... args) {
    return of(Kind.FORBIDDEN, null, format, args);
  }

  public static EngineException cannotInvoke(Throwable cause, String format, Object... args) {
    return of(Kind.CANNOT_INVOKE, cause, format, args);
  }

  public static EngineException commandNotFound(Throwable cause, String format, Object... args) {
    return of(Kind.COMMAND_NOT_FOUND, cause, format, args);
  }

  public static EngineException startFailed(Throwable cause, String format, Object... args) {
    return of(Kind.START_FAILED, cause, format, args);
  }

  public static EngineException internal(String format, Object... args) {
    return of(Kind.INTERNAL, null, format, args);
  }

  public static EngineException internal(Throwable cause, String format, Object... args) {
    return of(Kind.INTERNAL, cause, format, args);
  }

  /** An error of the given kind; the message is the format as is when there are no arguments. */
  public static EngineException of(Kind kind, Throwable cause, String format, Object... args) {
    return new EngineException(kind, args.length == 0 ? format : String.format(format, args), cause, false);
  }

  /**
   * The same error, found by a check that Docker's client makes itself before it asks the
   * daemon (attach to a stopped container, cp's local side): Docker shows it as its own error,
   * not as the daemon's.
   */
  public EngineException checkedByClient() {
    EngineException e = new EngineException(kind, getMessage(), getCause(), true);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isCheckedByClient() {
    return checkedByClient;
  }
}
