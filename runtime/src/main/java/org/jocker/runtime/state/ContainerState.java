package org.jocker.runtime.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The OCI state of a container, as `state` prints it (runc's fields: the spec's plus rootfs,
 * created and owner). {@code exitStatus} is Jocker's own addition (null until stopped).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerState(
    String ociVersion,
    String id,
    Status status,
    int pid,
    String bundle,
    String rootfs,
    String created,
    String owner,
    Map<String, String> annotations,
    ExitStatus exitStatus) {

  /** OCI statuses; serialised in lower case. */
  public enum Status {
    creating, created, running, stopped, paused
  }
}
