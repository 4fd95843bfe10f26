package org.jocker.images.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path root;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void committedBlobIsReadableUnderItsDigest() throws Exception {
    ContentStore store = ContentStore.open(root);
    byte[] data = bytes("a layer, pretend");
    Digest digest = Digest.sha256(data);
    try (Ingest ingest = store.ingest()) {
      ingest.write(data);
      assertThat(store.exists(digest)).isFalse();
      assertThat(ingest.commit(digest, data.length)).isEqualTo(digest);
    }
    assertThat(store.exists(digest)).isTrue();
    assertThat(store.size(digest)).isEqualTo(data.length);
    assertThat(store.path(digest)).isEqualTo(root.resolve("blobs/sha256/" + digest.encoded()));
    try (InputStream in = store.open(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(store.list()).containsExactly(digest);
    assertThat(ingestFiles()).isEmpty();
  }

  @Test
  void wrongDigestIsRejectedAndLeavesNothing() throws Exception {
    ContentStore store = ContentStore.open(root);
    Digest claimed = Digest.sha256(bytes("what the manifest says"));
    Digest actual = Digest.sha256(bytes("what the registry sent"));
    Ingest ingest = store.ingest();
    ingest.write(bytes("what the registry sent"));
    assertThatThrownBy(() -> ingest.commit(claimed, -1))
        .isInstanceOf(ImageException.class)
        .hasMessage("blob " + claimed + ": content does not match its digest (got " + actual + ")");
    ingest.close();
    assertThat(store.exists(claimed)).isFalse();
    assertThat(store.exists(actual)).isFalse();
    assertThat(store.list()).isEmpty();
    assertThat(ingestFiles()).isEmpty();
  }

  @Test
  void wrongSizeIsRejectedAndLeavesNothing() {
    ContentStore store = ContentStore.open(root);
    byte[] data = bytes("twelve bytes");
    Digest digest = Digest.sha256(data);
    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(data), digest, 10))
        .isInstanceOf(ImageException.class)
        .hasMessage("blob " + digest + ": size is 12 bytes, expected 10");
    assertThat(store.exists(digest)).isFalse();
    assertThat(ingestFiles()).isEmpty();
  }

  @Test
  void committingAnExistingBlobKeepsItAndRenewsItsTime() throws Exception {
    ContentStore store = ContentStore.open(root);
    byte[] data = bytes("same bytes twice");
    Digest digest = store.put(data);
    var before = Files.getLastModifiedTime(store.path(digest));
    try (Ingest again = store.ingest()) {
      again.write(data);
      assertThat(again.commit(digest, data.length)).isEqualTo(digest);
    }
    assertThat(store.put(new ByteArrayInputStream(data), digest)).isEqualTo(digest);
    // renewed: a collection's grace period counts from the last commit
    assertThat(Files.getLastModifiedTime(store.path(digest))).isGreaterThanOrEqualTo(before);
    assertThat(store.list()).containsExactly(digest);
    assertThat(ingestFiles()).isEmpty();
  }

  @Test
  void closingWithoutCommitDiscards() throws Exception {
    ContentStore store = ContentStore.open(root);
    try (Ingest ingest = store.ingest()) {
      ingest.write(bytes("abandoned download"));
      assertThat(ingestFiles()).hasSize(1);
    }
    assertThat(ingestFiles()).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void concurrentIngestOfOneBlobFromTwoThreads() throws Exception {
    ContentStore store = ContentStore.open(root);
    byte[] data = bytes("x".repeat(1 << 20));
    Digest digest = Digest.sha256(data);
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Digest>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        results.add(pool.submit(() -> {
          try (Ingest ingest = store.ingest()) {
            for (int off = 0; off < data.length; off += 4096) {
              ingest.write(data, off, 4096);
              if (off == 8192) {
                barrier.await(); // both are now writing at once
              }
            }
            return ingest.commit(digest, data.length);
          }
        }));
      }
      for (Future<Digest> r : results) {
        assertThat(r.get()).isEqualTo(digest);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list()).containsExactly(digest);
    assertThat(Files.readAllBytes(store.path(digest))).isEqualTo(data);
    assertThat(ingestFiles()).isEmpty();
  }

  @Test
  void crashLeftoversAreNeverBlobsAndAreCleanedOnOpen() throws Exception {
    ContentStore.open(root);
    // A writer that died mid-download: its pid cannot be alive (pid_max is below 2^22 + 1).
    Path dead = root.resolve("ingest/4194305-12345-deadbeef.part");
    Files.write(dead, bytes("half a layer"));
    Path foreign = root.resolve("ingest/garbage");
    Files.write(foreign, bytes("?"));
    // A live writer in this process must survive another open of the store.
    ContentStore first = ContentStore.open(root);
    try (Ingest live = first.ingest()) {
      live.write(bytes("in progress"));
      ContentStore reopened = ContentStore.open(root);
      assertThat(reopened.list()).isEmpty();
      assertThat(dead).doesNotExist();
      assertThat(foreign).doesNotExist();
      assertThat(ingestFiles()).hasSize(1);
      assertThat(live.commit(Digest.sha256(bytes("in progress")), 11)).isNotNull();
    }
    assertThat(first.list()).hasSize(1);
  }

  @Test
  void missingBlobIsNotFound() {
    ContentStore store = ContentStore.open(root);
    Digest digest = Digest.sha256(bytes("never stored"));
    assertThatThrownBy(() -> store.open(digest))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("blob " + digest + ": not found");
    assertThatThrownBy(() -> store.size(digest)).isInstanceOf(NotFoundException.class);
    assertThat(store.delete(digest)).isFalse();
  }

  @Test
  void deleteRemovesBlob() {
    ContentStore store = ContentStore.open(root);
    Digest digest = store.put(bytes("short-lived"));
    assertThat(store.delete(digest)).isTrue();
    assertThat(store.exists(digest)).isFalse();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void listSkipsFilesThatAreNotDigests() throws Exception {
    ContentStore store = ContentStore.open(root);
    Digest digest = store.put(bytes("real"));
    Files.write(root.resolve("blobs/sha256/not-a-digest"), bytes("x"));
    assertThat(store.list()).containsExactly(digest);
  }

  private List<Path> ingestFiles() {
    try (Stream<Path> s = Files.list(root.resolve("ingest"))) {
      return s.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aResumableIngestKeepsItsBytesAndGoesOnFromThem() throws Exception {
    ContentStore store = ContentStore.open(root);
    byte[] data = bytes("the whole of a blob, fetched in two goes");
    Digest digest = Digest.sha256(data);
    try (Ingest first = store.resumableIngest(digest)) {
      first.write(data, 0, 10); // then the pull is interrupted
    }
    assertThat(store.exists(digest)).isFalse();
    try (Ingest second = store.resumableIngest(digest)) {
      assertThat(second.size()).isEqualTo(10);
      second.write(data, 10, data.length - 10);
      second.commit(digest, data.length);
    }
    assertThat(store.readAll(digest)).isEqualTo(data);
    assertThat(root.resolve("partial/sha256-" + digest.encoded())).doesNotExist();
  }

  @Test
  void abandonedPartialsAreRemovedUnlessFreshOrBeingFetched() throws Exception {
    ContentStore store = ContentStore.open(root);
    Digest old = Digest.sha256("old");
    Digest fresh = Digest.sha256("fresh");
    Digest busy = Digest.sha256("busy");
    for (Digest d : java.util.List.of(old, fresh, busy)) {
      try (Ingest ingest = store.resumableIngest(d)) {
        ingest.write(bytes("12345"));
      }
    }
    java.nio.file.attribute.FileTime longAgo = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z"));
    java.nio.file.Files.setLastModifiedTime(root.resolve("partial/sha256-" + old.encoded()), longAgo);
    java.nio.file.Files.setLastModifiedTime(root.resolve("partial/sha256-" + busy.encoded()), longAgo);

    long[] freed = new long[1];
    try (var fetching = store.lockForFetch(busy)) {
      // This thread holds busy's lock; the collection runs on another, as it would.
      Thread collection = new Thread(
          () -> freed[0] = store.removePartialsOlderThan(java.time.Instant.now().minusSeconds(3600)));
      collection.start();
      collection.join();
    }

    assertThat(freed[0]).isEqualTo(5);
    assertThat(root.resolve("partial/sha256-" + old.encoded())).doesNotExist();
    assertThat(root.resolve("partial/sha256-" + fresh.encoded())).exists();
    assertThat(root.resolve("partial/sha256-" + busy.encoded())).exists();
  }
}
