package org.jocker.images;

/**
 * An image or storage operation failed. The message is one line for the user (it names the
 * digest, reference, file or entry at fault); the cause, if any, is for --debug.
 */
public class ImageException extends RuntimeException {
  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
