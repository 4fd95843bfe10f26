package org.jocker.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.cli.testing.Jocker;

/**
 * An image in a docker-archive seen by other tools than Jocker: its config as `skopeo inspect
 * --raw --config` reads it, and its files as `umoci unpack` gives them from the OCI layout `skopeo
 * copy` makes of it (whiteouts applied). The raw config, because converting to OCI drops what the
 * OCI config has no field for (Healthcheck, Shell, OnBuild).
 */
record InspectedImage(JsonNode config, ImageTree tree) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The config fields the interop tests compare (Docker's names). */
  static final List<String> FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts",
      "Labels", "Volumes", "StopSignal", "Healthcheck");

  /** Inspects and unpacks {@code archive}, working in {@code work} (made here). */
  static InspectedImage of(Path archive, Path work) {
    try {
      Files.createDirectories(work);
      JsonNode config = JSON.readTree(Jocker.tool(work, "skopeo", "inspect", "--raw", "--config",
          "docker-archive:" + archive)).get("config");
      Jocker.tool(work, "skopeo", "copy", "-q", "docker-archive:" + archive, "oci:layout:image");
      Jocker.tool(work, "umoci", "unpack", "--image", "layout:image", "bundle");
      return new InspectedImage(config, ImageTree.read(work.resolve("bundle/rootfs")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The compared fields that are set: an absent field, null, "", [] and {} all mean "not set"
   * (Buildah writes empty values where BuildKit leaves the field out).
   */
  ObjectNode fields() {
    ObjectNode out = JSON.createObjectNode();
    for (String name : FIELDS) {
      JsonNode v = config.get(name);
      if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty()) && !(v.isContainerNode() && v.isEmpty())) {
        out.set(name, v);
      }
    }
    return out;
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
