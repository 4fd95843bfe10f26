package org.jocker.images.layer;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.jocker.images.ImageException;
import org.jocker.images.manifest.MediaTypes;

/** How a layer blob is compressed, told by its media type or by its first bytes. */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};
  private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};
  private static final int BUFFER = 256 * 1024;

  /**
   * The compression a layer media type names (OCI and Docker, foreign/non-distributable
   * included), or empty when the media type is not a layer type this knows.
   */
  public static Optional<Compression> ofMediaType(String mediaType) {
    if (MediaTypes.isUncompressedLayer(mediaType)) {
      return Optional.of(NONE);
    }
    if (MediaTypes.isGzipLayer(mediaType)) {
      return Optional.of(GZIP);
    }
    return MediaTypes.isZstdLayer(mediaType) ? Optional.of(ZSTD) : Optional.empty();
  }

  /** As {@link #ofMediaType}, but a media type that is no layer type is an error naming it. */
  public static Compression ofLayerMediaType(String mediaType) {
    return ofMediaType(mediaType)
        .orElseThrow(() -> new ImageException("unsupported layer media type \"" + mediaType + "\""));
  }

  /** The OCI layer media type for a layer blob compressed so. */
  public String ociLayerMediaType() {
    return switch (this) {
      case NONE -> MediaTypes.OCI_LAYER;
      case GZIP -> MediaTypes.OCI_LAYER_GZIP;
      case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
    };
  }

  /** Peeks at the start of {@code in} (which must support mark/reset) without consuming it. */
  public static Compression sniff(InputStream in) throws IOException {
    in.mark(ZSTD_MAGIC.length);
    byte[] head = in.readNBytes(ZSTD_MAGIC.length);
    in.reset();
    return ofMagic(head);
  }

  /** The compression whose magic number starts {@code head}; anything else is taken as plain tar. */
  public static Compression ofMagic(byte[] head) {
    if (startsWith(head, ZSTD_MAGIC)) {
      return ZSTD;
    }
    if (startsWith(head, GZIP_MAGIC)) {
      return GZIP;
    }
    return NONE;
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }

  /**
   * Peeks at the first bytes of {@code in} and returns it decompressed. The caller closes the
   * result, which closes {@code in}.
   */
  public static InputStream detectAndDecompress(InputStream in) throws IOException {
    BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, BUFFER);
    return sniff(buffered).decompress(buffered);
  }

  /** {@code in} decompressed with this compression (no check of the magic number). */
  public InputStream decompress(InputStream in) throws IOException {
    try {
      return switch (this) {
        case NONE -> in;
        case GZIP -> new GZIPInputStream(in, BUFFER);
        case ZSTD -> new ZstdInputStream(in);
      };
    } catch (IOException e) {
      throw new ImageException("layer is not valid " + name().toLowerCase() + ": " + e.getMessage(), e);
    }
  }
}
