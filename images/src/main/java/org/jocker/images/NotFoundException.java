package org.jocker.images;

/** The blob, image or reference asked for is not there; callers may map this to "No such image". */
public class NotFoundException extends ImageException {
  public NotFoundException(String message) {
    super(message);
  }
}
