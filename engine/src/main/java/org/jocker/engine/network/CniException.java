package org.jocker.engine.network;

/**
 * A CNI plugin failed: its error (the CNI spec's {code, msg, details} on stdout), or a plugin
 * that could not be run or answered nonsense.
 */
public final class CniException extends RuntimeException {
  private final String plugin;
  private final String command;

  CniException(String plugin, String command, String message, Throwable cause) {
    super(message, cause);
    this.plugin = plugin;
    this.command = command;
  }

  /** The plugin's type (bridge, portmap, ...). */
  public String plugin() {
    return plugin;
  }

  /** ADD or DEL. */
  public String command() {
    return command;
  }
}
