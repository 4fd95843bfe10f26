package org.jocker.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the engine keeps about a container (container.json in its directory), written atomically
 * when it is made. Its running state is the runtime's, read from the kernel.
 *
 * @param image the image ID; {@code imageRef} is the name it was asked for by
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    String id, String name, String image, String imageRef, String created, List<String> args,
    boolean autoRemove) {

  /** The same container under another name (`rename`). */
  public ContainerRecord withName(String newName) {
    return new ContainerRecord(id, newName, image, imageRef, created, args, autoRemove);
  }
}
