package org.jocker.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs CNI plugins by the CNI protocol: the call in the environment, the plugin's config JSON on
 * stdin, its result (or error) JSON on stdout. The plugins are Debian's containernetworking-plugins
 * (/usr/lib/cni), else the upstream location (/opt/cni/bin); {@code jocker.cni.path} overrides.
 */
public final class CniPlugins {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Plugins run iptables and friends by name: the exit command's environment may have no PATH. */
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private final List<Path> dirs;

  public CniPlugins(List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  public static CniPlugins system() {
    String configured = System.getProperty("jocker.cni.path");
    String path = configured != null && !configured.isBlank() ? configured : "/usr/lib/cni:/opt/cni/bin";
    return new CniPlugins(java.util.Arrays.stream(path.split(":")).map(Path::of).toList());
  }

  /** The plugin's result (the CNI result JSON; for DEL usually empty, then null). */
  public JsonNode run(String type, CniCall call, JsonNode config) {
    Path plugin = find(type, call);
    ProcessBuilder pb = new ProcessBuilder(plugin.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.putIfAbsent("PATH", PATH);
    env.put("CNI_COMMAND", call.command());
    env.put("CNI_CONTAINERID", call.containerId());
    env.put("CNI_NETNS", call.netns().toString());
    env.put("CNI_IFNAME", call.ifname());
    env.put("CNI_PATH", String.join(":", dirs.stream().map(Path::toString).toList()));
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(JSON.writeValueAsBytes(config));
      }
      byte[] out;
      try (InputStream o = p.getInputStream()) {
        out = o.readAllBytes();
      }
      int code = p.waitFor();
      JsonNode answer = out.length == 0 ? null : JSON.readTree(out);
      if (code != 0) {
        throw new CniException(type, call.command(), error(type, call, code, answer), null);
      }
      return answer;
    } catch (IOException e) {
      throw new CniException(type, call.command(),
          "plugin type=\"" + type + "\" failed (" + call.command().toLowerCase() + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(type, call.command(), "interrupted", e);
    }
  }

  /** The CNI error's msg and details, worded as podman and containerd show them. */
  private static String error(String type, CniCall call, int code, JsonNode answer) {
    String msg = answer != null && answer.hasNonNull("msg") ? answer.get("msg").asText() : "exit status " + code;
    String details = answer != null && answer.hasNonNull("details") ? ": " + answer.get("details").asText() : "";
    return "plugin type=\"" + type + "\" failed (" + call.command().toLowerCase() + "): " + msg + details;
  }

  private Path find(String type, CniCall call) {
    for (Path dir : dirs) {
      Path p = dir.resolve(type);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new CniException(type, call.command(), "failed to find plugin \"" + type + "\" in path " + dirs, null);
  }
}
