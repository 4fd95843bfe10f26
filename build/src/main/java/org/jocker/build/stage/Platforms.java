package org.jocker.build.stage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The build's and the target's platform ({@code os/arch[/variant]}) and the automatic ARGs Docker
 * derives from them: BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT and the TARGET* ones, plus
 * TARGETSTAGE. They are set in the global scope; a stage sees one after {@code ARG NAME}.
 */
public record Platforms(String build, String target) {
  /** The platform of this machine, as Docker names it. */
  public static String host() {
    String arch = switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "arm" -> "arm/v7";
      case String other -> other;
    };
    return "linux/" + arch;
  }

  public static Platforms ofHost() {
    return new Platforms(host(), host());
  }

  Map<String, String> automaticArgs(String targetStage) {
    Map<String, String> args = new LinkedHashMap<>();
    put(args, "BUILD", build);
    put(args, "TARGET", target);
    args.put("TARGETSTAGE", targetStage);
    return args;
  }

  private static void put(Map<String, String> args, String prefix, String platform) {
    String[] parts = platform.split("/");
    args.put(prefix + "PLATFORM", platform);
    args.put(prefix + "OS", parts[0]);
    args.put(prefix + "ARCH", parts.length > 1 ? parts[1] : "");
    args.put(prefix + "VARIANT", parts.length > 2 ? parts[2] : "");
  }
}
