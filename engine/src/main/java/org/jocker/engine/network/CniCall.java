package org.jocker.engine.network;

import java.nio.file.Path;

/**
 * What a CNI plugin is called for, as the CNI protocol passes it in the environment
 * (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME).
 */
public record CniCall(String command, String containerId, Path netns, String ifname) {
  public static final String ADD = "ADD";
  public static final String DEL = "DEL";

  public static CniCall add(String containerId, Path netns, String ifname) {
    return new CniCall(ADD, containerId, netns, ifname);
  }

  public static CniCall del(String containerId, Path netns, String ifname) {
    return new CniCall(DEL, containerId, netns, ifname);
  }
}
