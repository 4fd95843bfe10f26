package org.jocker.images.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;

/**
 * Parses manifests, indexes and configs from their raw bytes. The kind of a manifest comes from
 * its own mediaType field, else from the media type it was served or referenced with, else from
 * its shape ("manifests" is an index; "config" is a manifest), as OCI allows mediaType to be
 * absent. Unknown and schema-1 media types are refused.
 */
public final class ManifestParser {
  // Map keys sorted, as Go's encoding/json writes them: the same image gives the same bytes (and
  // digests) in every JVM, whose Map.copyOf iteration order is random.
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ManifestParser() {}

  /** The mapper the records are meant for (for writing manifests and configs we create). */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Parses a manifest or index. {@code hintMediaType} is the Content-Type or descriptor media
   * type it came with, or null.
   */
  public static Document<Manifest> parseManifest(byte[] raw, String hintMediaType) {
    Digest digest = Digest.sha256(raw);
    JsonNode tree = readTree(raw, digest);
    String declared = tree.path("mediaType").isTextual() ? tree.get("mediaType").asText() : null;
    if (declared != null && hintMediaType != null && isKnown(hintMediaType)
        && !declared.equals(hintMediaType)) {
      throw new ImageException("manifest " + digest + ": declares media type " + declared
          + " but was served as " + hintMediaType);
    }
    String mediaType = declared != null ? declared : hintMediaType;
    if (mediaType == null || mediaType.isEmpty() || mediaType.equals("application/json")) {
      mediaType = tree.has("manifests") ? MediaTypes.OCI_INDEX
          : tree.has("config") ? MediaTypes.OCI_MANIFEST : null;
      if (mediaType == null) {
        throw new ImageException("manifest " + digest
            + ": no mediaType and neither \"manifests\" nor \"config\" to tell its kind");
      }
    }
    int schemaVersion = tree.path("schemaVersion").asInt(-1);
    if (MediaTypes.isSchema1(mediaType) || schemaVersion == 1) {
      throw new ImageException("manifest " + digest
          + ": Docker image manifest schema 1 is not supported; push the image again with a current client");
    }
    if (schemaVersion != 2) {
      throw new ImageException("manifest " + digest + ": unsupported schemaVersion " + schemaVersion);
    }
    Manifest value;
    if (MediaTypes.isIndex(mediaType)) {
      value = convert(tree, ImageIndex.class, digest);
    } else if (MediaTypes.isManifest(mediaType)) {
      ImageManifest manifest = convert(tree, ImageManifest.class, digest);
      if (manifest.config() == null) {
        throw new ImageException("manifest " + digest + ": has no config descriptor");
      }
      value = manifest;
    } else {
      throw new ImageException("manifest " + digest + ": unsupported media type \"" + mediaType + "\"");
    }
    return new Document<>(value, raw, digest);
  }

  /** Parses an image manifest, refusing an index. */
  public static Document<ImageManifest> parseImageManifest(byte[] raw, String hintMediaType) {
    Document<Manifest> doc = parseManifest(raw, hintMediaType);
    if (doc.value() instanceof ImageManifest m) {
      return new Document<>(m, raw, doc.digest());
    }
    throw new ImageException("manifest " + doc.digest() + ": is an index, expected an image manifest");
  }

  /** Parses an image config; its digest (the image ID) is of {@code raw}. */
  public static Document<ImageConfig> parseConfig(byte[] raw) {
    Digest digest = Digest.sha256(raw);
    JsonNode tree = readTree(raw, digest);
    if (!tree.isObject()) {
      throw new ImageException("config " + digest + ": is not a JSON object");
    }
    ImageConfig config = convert(tree, ImageConfig.class, digest);
    return new Document<>(config, raw, digest);
  }

  /** The media type a manifest document is, without building the records. */
  public static boolean isKnown(String mediaType) {
    return MediaTypes.isIndex(mediaType) || MediaTypes.isManifest(mediaType)
        || MediaTypes.isSchema1(mediaType);
  }

  private static JsonNode readTree(byte[] raw, Digest digest) {
    try {
      JsonNode tree = JSON.readTree(raw);
      if (tree == null || !tree.isObject()) {
        throw new ImageException(digest + ": is not a JSON object");
      }
      return tree;
    } catch (IOException e) {
      throw new ImageException(digest + ": invalid JSON: " + jsonError(e), e);
    }
  }

  private static <T> T convert(JsonNode tree, Class<T> type, Digest digest) {
    try {
      return JSON.treeToValue(tree, type);
    } catch (JsonProcessingException | IllegalArgumentException | ImageException e) {
      throw new ImageException(digest + ": invalid " + type.getSimpleName() + ": " + firstLine(e), e);
    }
  }

  /** Jackson's words for a cut document name its internals ("Source: REDACTED ..."): Go's instead. */
  private static String jsonError(IOException e) {
    String message = firstLine(e);
    return e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")
        ? "unexpected end of JSON input" : message;
  }

  private static String firstLine(Exception e) {
    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
