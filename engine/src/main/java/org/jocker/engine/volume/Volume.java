package org.jocker.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** A local volume as `volume inspect` shows it (Docker's field names). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope"})
public record Volume(
    @JsonProperty("CreatedAt") String createdAt,
    @JsonProperty("Driver") String driver,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("Mountpoint") String mountpoint,
    @JsonProperty("Name") String name,
    @JsonProperty("Options") Map<String, String> options,
    @JsonProperty("Scope") String scope) {

  /** Docker's label on volumes made for an image's VOLUME or a -v /path without a name. */
  public static final String ANONYMOUS = "com.docker.volume.anonymous";

  @JsonIgnore
  public boolean anonymous() {
    return labels != null && labels.containsKey(ANONYMOUS);
  }
}
