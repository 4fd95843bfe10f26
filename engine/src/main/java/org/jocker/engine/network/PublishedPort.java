package org.jocker.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A port published for one run of a container: the host's address ("" for every address) and
 * port (an ephemeral one already chosen), the container's port and protocol.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishedPort(String hostIp, int hostPort, int containerPort, String protocol) {
  /** Docker's key of the container's side: 80/tcp. */
  public String portKey() {
    return containerPort + "/" + protocol;
  }

  /** The host address as Docker shows it: 0.0.0.0 for every address. */
  public String shownHostIp() {
    return hostIp.isEmpty() ? "0.0.0.0" : hostIp;
  }
}
