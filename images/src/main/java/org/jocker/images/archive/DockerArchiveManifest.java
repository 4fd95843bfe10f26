package org.jocker.images.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a docker-archive's manifest.json: archive paths of the config and the layers
 * (base first), and the names the image had, in familiar form.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerArchiveManifest(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {

  DockerArchiveManifest {
    // docker save writes "RepoTags": null for an image saved by ID; keep that on the way out.
    repoTags = repoTags == null ? null : List.copyOf(repoTags);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  List<String> repoTagsOrEmpty() {
    return repoTags == null ? List.of() : repoTags;
  }
}
