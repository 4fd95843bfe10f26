package org.jocker.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A seccomp profile in Docker's format: OCI-like rules that may be limited to some arches or
 * capabilities with {@code includes}/{@code excludes}, plus a map from native arch to the sub-arches
 * it can also run. {@link DockerDefaultProfile} resolves one into a {@link Spec.Seccomp}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerProfile(
    String defaultAction, Integer defaultErrnoRet, List<ArchMap> archMap, List<Rule> syscalls) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ArchMap(String architecture, List<String> subArchitectures) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(
      List<String> names,
      String action,
      Integer errnoRet,
      List<Spec.Arg> args,
      String comment,
      Filter includes,
      Filter excludes) {}

  /**
   * Arches use Go's names (amd64, x32, arm64...). In {@code includes} every listed cap is required;
   * in {@code excludes} any listed cap drops the rule.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Filter(List<String> caps, List<String> arches) {
    public List<String> capsOrEmpty() {
      return caps == null ? List.of() : caps;
    }

    public List<String> archesOrEmpty() {
      return arches == null ? List.of() : arches;
    }
  }
}
