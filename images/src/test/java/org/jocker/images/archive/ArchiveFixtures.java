package org.jocker.images.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/** Small images built in the test, tar helpers, and a runner for skopeo and umoci. */
final class ArchiveFixtures {
  static final String HOSTNAME_CONTENT = "jocker-test\n";
  /** Entries get a fixed time, so building the same layer twice gives the same diff_id. */
  private static final java.util.Date FIXED_TIME = new java.util.Date(1_700_000_000_000L);

  private ArchiveFixtures() {}

  /** A busybox root file system: the static binary, an sh link to it, and /etc/hostname. */
  static byte[] busyboxRootfsTar() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")));
    files.put("etc/hostname", HOSTNAME_CONTENT.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (String dir : List.of("bin/", "etc/")) {
        TarArchiveEntry entry = new TarArchiveEntry(dir);
        entry.setMode(040755);
        entry.setModTime(FIXED_TIME);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      for (var file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setMode(file.getKey().startsWith("bin/") ? 0100755 : 0100644);
        entry.setModTime(FIXED_TIME);
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      TarArchiveEntry link = new TarArchiveEntry("bin/sh", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("busybox");
      link.setModTime(FIXED_TIME);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** The names of the files under {@code rootfs}, relative and sorted, for comparing trees. */
  static List<String> tree(Path rootfs) throws IOException {
    try (var walk = Files.walk(rootfs)) {
      return walk.filter(p -> !p.equals(rootfs)).map(p -> rootfs.relativize(p).toString()).sorted().toList();
    }
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] configJson(String architecture, List<Digest> diffIds) {
    StringBuilder ids = new StringBuilder();
    for (Digest d : diffIds) {
      ids.append(ids.isEmpty() ? "" : ",").append('"').append(d).append('"');
    }
    return ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\","
        + "\"config\":{\"Cmd\":[\"/bin/sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]},"
        + "\"history\":[{\"created_by\":\"test\"}]}").getBytes(StandardCharsets.UTF_8);
  }

  static String hostArchitecture() {
    return Platform.host().architecture();
  }

  /** Stores a one-layer busybox image (layer gzip or plain) and names it {@code name}. */
  static Image storeBusybox(ContentStore content, ImageStore images, String name, boolean gzipLayer)
      throws IOException {
    byte[] layer = busyboxRootfsTar();
    Digest diffId = Digest.sha256(layer);
    byte[] blob = gzipLayer ? gzip(layer) : layer;
    return storeImage(content, images, name, List.of(blob), List.of(diffId),
        List.of(gzipLayer ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER), hostArchitecture());
  }

  static Image storeImage(ContentStore content, ImageStore images, String name, List<byte[]> blobs,
      List<Digest> diffIds, List<String> mediaTypes, String architecture) throws IOException {
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < blobs.size(); i++) {
      layers.add(Descriptor.of(mediaTypes.get(i), content.put(blobs.get(i)), blobs.get(i).length));
    }
    byte[] config = configJson(architecture, diffIds);
    Digest configDigest = content.put(config);
    byte[] manifest = DockerArchiveReader.toJson(new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length), layers, null, null));
    Digest manifestDigest = content.put(manifest);
    return name == null ? images.add(manifestDigest, configDigest)
        : images.add(manifestDigest, configDigest, Reference.parse(name));
  }

  /** Writes {@code entries} (name to bytes, in this order) as a tar. */
  static byte[] tar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        entry.setModTime(FIXED_TIME);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The regular files of a tar, name to bytes, in archive order. */
  static Map<String, byte[]> untar(byte[] archive) throws IOException {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(archive))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.isFile()) {
          files.put(e.getName(), tar.readAllBytes());
        }
      }
    }
    return files;
  }

  static String blobPath(Digest digest) {
    return "blobs/sha256/" + digest.encoded();
  }

  /** Runs a tool, asserting it succeeds; returns its standard output. */
  static String run(Path dir, String... command) throws IOException, InterruptedException {
    // stderr goes to a file so that neither pipe can fill up and block the tool.
    Path stderr = Files.createTempFile("tool-stderr", ".txt");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectError(stderr.toFile()).start();
      String output;
      try (InputStream stdout = process.getInputStream()) {
        output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue())
          .as("%s failed: %s", String.join(" ", command), Files.readString(stderr))
          .isZero();
      return output;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
