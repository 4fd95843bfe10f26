package org.jocker.images.push;

import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.jocker.images.content.ContentStore;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryWriter;
import org.jocker.images.registry.UploadSession;

/**
 * Uploads one blob of the content store: up to {@link #CHUNK} bytes in the PUT that closes the
 * upload (monolithic), a larger one in PATCHes of {@link #CHUNK} bytes and an empty closing PUT,
 * so no request carries more than a chunk (proxies with request limits pass it), and a chunk
 * that breaks off is gone on from where the registry says the upload stands, or, when the
 * registry dropped the upload, the blob is sent again in a new one.
 */
final class BlobUpload {
  static final long CHUNK = 8L << 20;
  /** How many times a broken transfer is gone on from (or begun again) before the push fails. */
  private static final int MAX_RESUMES = 5;

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
    int resumes = 0;
    if (size <= CHUNK) {
      while (true) {
        try {
          writer.finishUpload(open, blob.digest(), file, 0, size, sent);
          return;
        } catch (RegistryException e) {
          if (!resumable(e) || ++resumes > MAX_RESUMES) {
            throw e;
          }
          open = writer.startUpload(registry, repository); // a PUT is whole or nothing: again
        }
      }
    }
    while (open.offset() < size) {
      long from = open.offset();
      try {
        open = writer.uploadChunk(open, file, from, Math.min(CHUNK, size - from), n -> sent.accept(from + n));
      } catch (RegistryException e) {
        if (!resumable(e) || ++resumes > MAX_RESUMES) {
          throw e;
        }
        open = resumeOrRestart(registry, repository, open);
      }
    }
    writer.finishUpload(open, blob.digest(), file, size, 0, n -> {});
  }

  /**
   * Where the upload stands, to go on from there; a registry that dropped the session (the
   * distribution registry cancels an upload whose state it no longer matches) gets a new one,
   * and the blob starts over.
   */
  private UploadSession resumeOrRestart(String registry, String repository, UploadSession broken) {
    try {
      return writer.uploadStatus(broken);
    } catch (RegistryException gone) {
      return writer.startUpload(registry, repository);
    }
  }

  /**
   * A chunk that got no answer, or that the registry refused because it kept part of an earlier
   * attempt (its offset moved on): asking where the upload stands may save it.
   */
  private static boolean resumable(RegistryException e) {
    return e.status() == 0 || e.status() == 416 || e.status() >= 500 || "BLOB_UPLOAD_INVALID".equals(e.code());
  }
}
