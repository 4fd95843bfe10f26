package org.jocker.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/** The platform of an index entry or config: os, architecture and their refinements. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures) {

  public Platform {
    osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
  }

  public static Platform of(String os, String architecture, String variant) {
    return new Platform(architecture, os, variant, null, null);
  }

  /** This host's platform in OCI terms, from the JVM's os.name and os.arch. */
  public static Platform host() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String normalisedOs = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : os;
    return normalise(Platform.of(normalisedOs, System.getProperty("os.arch", "amd64"), null));
  }

  /**
   * Maps the many spellings of an architecture to Go's (x86_64 is amd64, aarch64 is arm64) and
   * fills in the variant implied by it (arm64 is v8, arm is v7 unless told).
   */
  public static Platform normalise(Platform p) {
    String arch = p.architecture() == null ? "" : p.architecture().toLowerCase(Locale.ROOT);
    String variant = p.variant() == null ? "" : p.variant().toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64", "x86-64", "amd64" -> {
        arch = "amd64";
        if (variant.equals("v1")) {
          variant = "";
        }
      }
      case "i386", "i486", "i586", "i686", "x86" -> arch = "386";
      case "aarch64", "arm64" -> {
        arch = "arm64";
        if (variant.isEmpty() || variant.equals("8")) {
          variant = "v8";
        }
      }
      case "armhf", "armv7l", "armv7" -> {
        arch = "arm";
        variant = "v7";
      }
      case "armel", "armv6l", "armv6" -> {
        arch = "arm";
        variant = "v6";
      }
      case "armv5tel", "armv5" -> {
        arch = "arm";
        variant = "v5";
      }
      case "arm" -> {
        if (variant.isEmpty()) {
          variant = "v7";
        } else if (variant.matches("[5-8]")) {
          variant = "v" + variant;
        }
      }
      default -> { }
    }
    String os = p.os() == null || p.os().isEmpty() ? "linux" : p.os().toLowerCase(Locale.ROOT);
    return new Platform(arch, os, variant.isEmpty() ? null : variant, p.osVersion(), p.osFeatures());
  }

  /** {@code os/arch[/variant]}, as Docker prints platforms in its messages. */
  public String format() {
    return (os == null ? "unknown" : os) + "/" + (architecture == null ? "unknown" : architecture)
        + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
