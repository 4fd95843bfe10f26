package org.jocker.images.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;

/**
 * An OCI image layout on disk, made for pushing to a test registry with skopeo: images of
 * gzip'd tar layers with their configs and manifests, and tags in index.json.
 */
public final class TestLayout {
  private static final Date FIXED_TIME = new Date(1_700_000_000_000L);

  private final Path dir;
  private final ArrayNode tags = ManifestParser.json().createArrayNode();

  /** One image of the layout: its manifest's digest and bytes, its config's digest, its layers' diff_ids. */
  public record Pushed(Digest manifest, byte[] manifestBytes, Digest config, List<Digest> diffIds, String architecture) {}

  public TestLayout(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  public Path dir() {
    return dir;
  }

  /** An image for {@code architecture} whose layers hold the given files (path to content), base first. */
  public Pushed image(String architecture, List<Map<String, String>> layerFiles) throws IOException {
    List<Digest> diffIds = new ArrayList<>();
    ArrayNode layers = ManifestParser.json().createArrayNode();
    for (Map<String, String> files : layerFiles) {
      byte[] tar = tar(files);
      diffIds.add(Digest.sha256(tar));
      layers.add(descriptor(MediaTypes.OCI_LAYER_GZIP, blob(gzip(tar)), gzip(tar).length));
    }
    ObjectNode config = ManifestParser.json().createObjectNode();
    config.put("architecture", architecture).put("os", "linux");
    config.putObject("config").putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    diffIds.forEach(d -> rootfs.withArray("diff_ids").add(d.toString()));
    byte[] configBytes = ManifestParser.json().writeValueAsBytes(config);
    ObjectNode manifest = ManifestParser.json().createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.set("config", descriptor(MediaTypes.OCI_CONFIG, blob(configBytes), configBytes.length));
    manifest.set("layers", layers);
    byte[] manifestBytes = ManifestParser.json().writeValueAsBytes(manifest);
    return new Pushed(blob(manifestBytes), manifestBytes, Digest.sha256(configBytes), diffIds, architecture);
  }

  /** Names {@code image} {@code tag} in index.json (skopeo's {@code oci:DIR:tag}). */
  public void tag(String tag, Pushed image) throws IOException {
    ObjectNode entry = descriptor(MediaTypes.OCI_MANIFEST, image.manifest(), image.manifestBytes().length);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    tags.add(entry);
    ObjectNode index = ManifestParser.json().createObjectNode();
    index.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    index.set("manifests", tags);
    Files.write(dir.resolve("index.json"), ManifestParser.json().writeValueAsBytes(index));
  }

  /** An OCI index of {@code images} with their platforms (linux/architecture). */
  public static byte[] index(List<Pushed> images) throws IOException {
    ObjectNode index = ManifestParser.json().createObjectNode();
    index.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (Pushed image : images) {
      ObjectNode entry = descriptor(MediaTypes.OCI_MANIFEST, image.manifest(), image.manifestBytes().length);
      entry.putObject("platform").put("architecture", image.architecture()).put("os", "linux");
      manifests.add(entry);
    }
    return ManifestParser.json().writeValueAsBytes(index);
  }

  private Digest blob(byte[] bytes) throws IOException {
    Digest digest = Digest.sha256(bytes);
    Files.write(dir.resolve("blobs/sha256").resolve(digest.encoded()), bytes);
    return digest;
  }

  private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
    ObjectNode d = ManifestParser.json().createObjectNode();
    d.put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
    return d;
  }

  private static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (var e : files.entrySet()) {
        byte[] content = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(content.length);
        entry.setModTime(FIXED_TIME);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
