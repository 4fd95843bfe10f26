package org.jocker.images.archive;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.MediaTypes.Compression;

/**
 * Tells a compressed stream by its magic bytes and undoes the compression. Archives do not say
 * how their layers are compressed (docker-archive layers are meant to be plain tar, but some
 * producers gzip them), so the bytes are the only truth.
 */
final class LayerCompression {
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  private LayerCompression() {}

  /** Peeks at the start of {@code in}, which must support mark/reset; reads nothing for good. */
  static Compression sniff(InputStream in) throws IOException {
    in.mark(ZSTD_MAGIC.length);
    byte[] head = in.readNBytes(ZSTD_MAGIC.length);
    in.reset();
    if (startsWith(head, GZIP_MAGIC)) {
      return Compression.GZIP;
    }
    if (startsWith(head, ZSTD_MAGIC)) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /** {@code in} with its compression sniffed and undone; the result is buffered. */
  static InputStream decompressing(InputStream in) throws IOException {
    BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 65536);
    return decompressing(buffered, sniff(buffered));
  }

  static InputStream decompressing(InputStream in, Compression compression) throws IOException {
    return switch (compression) {
      case NONE -> in;
      // Concatenated members are one gzip stream to gunzip and to Go, so to us as well.
      case GZIP -> GzipCompressorInputStream.builder().setInputStream(in)
          .setDecompressConcatenated(true).get();
      case ZSTD -> new ZstdInputStream(in);
    };
  }

  /** The OCI layer media type for a layer blob compressed so. */
  static String ociLayerMediaType(Compression compression) {
    return switch (compression) {
      case NONE -> MediaTypes.OCI_LAYER;
      case GZIP -> MediaTypes.OCI_LAYER_GZIP;
      case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
    };
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
