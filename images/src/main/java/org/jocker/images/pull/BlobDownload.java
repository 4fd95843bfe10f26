package org.jocker.images.pull;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.content.Ingest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.registry.RegistryClient;
import org.jocker.kernel.LockFile;

/**
 * Streams one blob from the registry into the content store, hashing as it writes; the blob
 * becomes visible only once its digest and size match the descriptor. Never reads more than the
 * descriptor's size (plus one byte, to notice a longer blob). Concurrent fetches of one blob
 * (other pulls, other processes) wait for the first and then find it stored.
 */
final class BlobDownload {
  private static final int BUFFER = 1 << 16;

  private final RegistryClient client;
  private final ContentStore content;

  BlobDownload(RegistryClient client, ContentStore content) {
    this.client = client;
    this.content = content;
  }

  /**
   * @param progress called with the bytes received so far, now and then
   * @param beforeVerify called once every byte is in, before the digest is checked
   */
  void fetch(String registry, String repository, Descriptor blob, LongConsumer progress, Runnable beforeVerify) {
    try (LockFile.Held fetching = content.lockForFetch(blob.digest())) {
      if (content.reuse(blob.digest())) {
        return; // another pull stored it while this one waited
      }
      try {
        download(registry, repository, blob, progress, beforeVerify);
      } catch (ResumedBadly e) {
        // The kept bytes were bad (the failed commit dropped them): once more from the start.
        download(registry, repository, blob, progress, beforeVerify);
      }
    }
  }

  /** A download that went on from kept bytes did not verify. */
  private static final class ResumedBadly extends RuntimeException {
    ResumedBadly(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Goes on from the bytes an interrupted pull kept of this blob, if any; an interruption now
   * keeps what this one got.
   */
  private void download(String registry, String repository, Descriptor blob, LongConsumer progress,
      Runnable beforeVerify) {
    try (Ingest ingest = content.resumableIngest(blob.digest());
        InputStream in = ingest.size() >= blob.size() ? InputStream.nullInputStream()
            : client.blob(registry, repository, blob.digest(), ingest.size())) {
      long resumedFrom = ingest.size();
      byte[] buffer = new byte[BUFFER];
      long limit = blob.size() + 1;
      long reported = 0;
      for (int n; ingest.size() < limit
          && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - ingest.size()))) >= 0; ) {
        ingest.write(buffer, 0, n);
        if (ingest.size() - reported >= BUFFER * 8 || ingest.size() == blob.size()) {
          reported = ingest.size();
          progress.accept(reported);
        }
      }
      beforeVerify.run();
      try {
        ingest.commit(blob.digest(), blob.size());
      } catch (ImageException e) {
        if (resumedFrom > 0) {
          throw new ResumedBadly(e);
        }
        throw new ImageException("filesystem layer verification failed for digest " + blob.digest(), e);
      }
    } catch (IOException e) {
      throw new ImageException("failed to download " + blob.digest() + ": " + e.getMessage(), e);
    }
  }
}
