package org.jocker.images.push;

import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.jocker.images.content.ContentStore;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.registry.RegistryWriter;
import org.jocker.images.registry.UploadSession;

/**
 * Uploads one blob of the content store: up to {@link #CHUNK} bytes in the PUT that closes the
 * upload (monolithic), a larger one in PATCHes of {@link #CHUNK} bytes and an empty closing PUT,
 * so no request carries more than a chunk (a broken transfer is retried by the chunk, not the
 * blob, and proxies with request limits pass it).
 */
final class BlobUpload {
  static final long CHUNK = 8L << 20;

  private final RegistryWriter writer;
  private final ContentStore content;

  BlobUpload(RegistryWriter writer, ContentStore content) {
    this.writer = writer;
    this.content = content;
  }

  /**
   * Uploads {@code blob} to {@code repository}, through {@code session} when one is open already
   * (a mount that fell back to an upload), else a new one; {@code sent} hears the bytes so far.
   */
  void upload(String registry, String repository, Descriptor blob, UploadSession session, LongConsumer sent) {
    Path file = content.path(blob.digest());
    long size = content.size(blob.digest());
    UploadSession open = session != null ? session : writer.startUpload(registry, repository);
    if (size <= CHUNK) {
      writer.finishUpload(open, blob.digest(), file, 0, size, sent);
      return;
    }
    for (long offset = 0; offset < size; offset += CHUNK) {
      long from = offset;
      open = writer.uploadChunk(open, file, from, Math.min(CHUNK, size - from), n -> sent.accept(from + n));
    }
    writer.finishUpload(open, blob.digest(), file, size, 0, n -> {});
  }
}
