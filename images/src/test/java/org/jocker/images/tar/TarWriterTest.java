package org.jocker.images.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.kernel.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TarWriterTest {
  private static final FileTime MTIME = FileTime.from(java.time.Instant.parse("2024-05-06T07:08:09.123456789Z"));
  private Path dir;

  @BeforeEach
  void makeFiles() throws IOException {
    dir = Files.createTempDirectory("tar-writer");
    Files.writeString(dir.resolve("a"), "hello");
    Files.createLink(dir.resolve("b"), dir.resolve("a"));
    Files.writeString(dir.resolve("suid"), "#!/bin/sh\n");
    FileSystemCalls.linux().chmod(dir.resolve("suid"), 04755);
    FileSystemCalls.linux().mknod(dir.resolve("null"), 0020000 | 0666, 1, 3);
    FileSystemCalls.linux().mknod(dir.resolve("fifo"), 0010000 | 0600, 0, 0);
    long nanos = MTIME.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    for (String name : List.of("a", "suid", "null", "fifo")) {
      FileSystemCalls.linux().setTimes(dir.resolve(name), nanos, nanos); // never opens the FIFO
    }
  }

  @AfterEach
  void removeFiles() throws IOException {
    FileTrees.delete(dir);
  }

  @Test
  void theFullFormatKeepsEverythingAFileSystemHolds() throws IOException {
    Map<String, TarArchiveEntry> entries = read(writeAll(TarWriter.Format.FULL));
    assertThat(entries).containsOnlyKeys("a", "b", "fifo", "null", "suid");
    assertThat(entries.get("b").isLink()).isTrue();
    assertThat(entries.get("b").getLinkName()).isEqualTo("a");
    assertThat(entries.get("suid").getMode()).isEqualTo(04755);
    assertThat(entries.get("a").getLastModifiedTime()).isEqualTo(FileTime.from(MTIME.toInstant().minusNanos(89)));
    assertThat(entries.get("null").isCharacterDevice()).isTrue();
    assertThat(entries.get("null").getDevMajor()).isEqualTo(1);
    assertThat(entries.get("null").getDevMinor()).isEqualTo(3);
    assertThat(entries.get("fifo").isFIFO()).isTrue();
    assertThat(PaxXattrs.read(entries.get("a"))).containsEntry("user.note", "hi".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCopyFormatKeepsWhatCpAlwaysKept() throws IOException {
    Map<String, TarArchiveEntry> entries = read(writeAll(TarWriter.Format.COPY));
    assertThat(entries).containsOnlyKeys("a", "b", "suid");
    assertThat(entries.get("b").isFile()).isTrue();
    assertThat(entries.get("b").getSize()).isEqualTo(5);
    assertThat(entries.get("suid").getMode()).isEqualTo(0755);
    assertThat(entries.get("a").getLastModifiedTime()).isEqualTo(FileTime.fromMillis(MTIME.toMillis()));
  }

  @Test
  void contentOfAnotherLengthThanTheHeaderSaysFails() {
    TarWriter tar = new TarWriter(new ByteArrayOutputStream());
    EntryAttributes attributes = EntryAttributes.of(0644, MTIME);
    assertThatThrownBy(() -> tar.file("short", 10, TarWriter.Content.of(new byte[3]), attributes))
        .isInstanceOf(IOException.class);
    TarWriter other = new TarWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> other.file("long", 2, TarWriter.Content.of(new byte[3]), attributes))
        .isInstanceOf(IOException.class);
  }

  /** Every file of the directory, sorted, as one archive in {@code format}; "a" with an xattr. */
  private byte[] writeAll(TarWriter.Format format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(out, format);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Map<String, byte[]> xattrs = name.equals("a") && format.equals(TarWriter.Format.FULL)
          ? Map.of("user.note", "hi".getBytes(StandardCharsets.UTF_8)) : Map.of();
      tar.add(name, file, FileStat.of(file), xattrs);
    }
    tar.finish();
    return out.toByteArray();
  }

  private static Map<String, TarArchiveEntry> read(byte[] tar) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }
}
