package org.jocker.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jocker.images.digest.Digest;

/**
 * The OCI image config (Docker's is a superset). Fields we do not model are ignored: the config
 * is always kept as the raw bytes it came as (see {@link Document}), since its digest is the
 * image ID and re-serialising would change it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    @JsonProperty("variant") String variant,
    @JsonProperty("config") ContainerConfig config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") List<History> history) {

  public ImageConfig {
    osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** The platform this image is built for. */
  public Platform platform() {
    return new Platform(architecture, os, variant, osVersion, osFeatures);
  }

  /** The uncompressed layer digests, base first; empty for an image with no layers. */
  public List<Digest> diffIds() {
    return rootfs == null ? List.of() : rootfs.diffIds();
  }

  /** Defaults for a container run from the image. Null means "not set", unlike empty. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContainerConfig(
      @JsonProperty("User") String user,
      @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Volumes") Map<String, Object> volumes,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") Map<String, String> labels,
      @JsonProperty("StopSignal") String stopSignal,
      @JsonProperty("ArgsEscaped") Boolean argsEscaped,
      @JsonProperty("Healthcheck") HealthConfig healthcheck,
      @JsonProperty("OnBuild") List<String> onBuild,
      @JsonProperty("Shell") List<String> shell) {

    /** Without the fields only a Dockerfile sets (Healthcheck, OnBuild, Shell). */
    public ContainerConfig(String user, Map<String, Object> exposedPorts, List<String> env, List<String> entrypoint,
        List<String> cmd, Map<String, Object> volumes, String workingDir, Map<String, String> labels,
        String stopSignal, Boolean argsEscaped) {
      this(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal, argsEscaped, null,
          null, null);
    }

    public ContainerConfig {
      onBuild = onBuild == null ? null : List.copyOf(onBuild);
      shell = shell == null ? null : List.copyOf(shell);
      exposedPorts = exposedPorts == null ? null : Map.copyOf(exposedPorts);
      env = env == null ? null : List.copyOf(env);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      cmd = cmd == null ? null : List.copyOf(cmd);
      volumes = volumes == null ? null : Map.copyOf(volumes);
      labels = labels == null ? null : Map.copyOf(labels);
    }
  }

  /**
   * HEALTHCHECK as Docker's config keeps it: {@code test} ["NONE"], ["CMD", args...] or
   * ["CMD-SHELL", script]; durations in nanoseconds, absent (null or 0) for the engine's default.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HealthConfig(
      @JsonProperty("Test") List<String> test,
      @JsonProperty("Interval") Long interval,
      @JsonProperty("Timeout") Long timeout,
      @JsonProperty("StartPeriod") Long startPeriod,
      @JsonProperty("StartInterval") Long startInterval,
      @JsonProperty("Retries") Integer retries) {}

  /** The layers of the root file system, as digests of their uncompressed tars. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RootFs(
      @JsonProperty("type") String type,
      @JsonProperty("diff_ids") List<Digest> diffIds) {

    public RootFs {
      diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }
  }

  /** One build step; steps with {@code empty_layer} added no layer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record History(
      @JsonProperty("created") String created,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("author") String author,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer) {

    public boolean isEmptyLayer() {
      return Boolean.TRUE.equals(emptyLayer);
    }
  }
}
