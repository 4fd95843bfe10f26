package org.jocker.engine.network;

/**
 * How the engine's default bridge is asked for (dockerd's -b/--bridge and --bip).
 *
 * @param bridge the Linux bridge's name (null: the kept one, else jocker0); "none" disables the
 *     bridge network (containers default to --network none, as with dockerd -b none)
 * @param bip the bridge's address with the subnet's prefix (172.17.0.1/16), null to choose the
 *     first of Docker's pools that no route of the host uses, on first use (then kept)
 */
public record BridgeOptions(String bridge, String bip) {
  public static final String DEFAULT_BRIDGE = "jocker0";
  public static final BridgeOptions DISABLED = new BridgeOptions("none", null);

  /** The bridge's name: the one asked for, else jocker0. */
  public String name() {
    return bridge == null || bridge.isEmpty() ? DEFAULT_BRIDGE : bridge;
  }

  /** Whether a bridge name was asked for (else the kept one is used). */
  public boolean named() {
    return bridge != null && !bridge.isEmpty();
  }

  public boolean enabled() {
    return !"none".equals(bridge);
  }
}
