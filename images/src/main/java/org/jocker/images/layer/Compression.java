package org.jocker.images.layer;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.jocker.images.ImageException;

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
    String type = mediaType.strip();
    if (type.endsWith("+gzip") || type.endsWith(".tar.gzip") || type.endsWith(".tar.gz")) {
      return Optional.of(GZIP);
    }
    if (type.endsWith("+zstd") || type.endsWith(".tar.zstd")) {
      return Optional.of(ZSTD);
    }
    if (type.endsWith(".tar") || type.endsWith(".rootfs.diff.tar")) {
      return Optional.of(NONE);
    }
    return Optional.empty();
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
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
    buffered.mark(ZSTD_MAGIC.length);
    byte[] head = buffered.readNBytes(ZSTD_MAGIC.length);
    buffered.reset();
    return ofMagic(head).decompress(buffered);
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
