package org.jocker.images.layer;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small layer tars in memory for tests. */
public final class TestLayers {
  public static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

  public TestLayers() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public TestLayers dir(String name, int mode) throws IOException {
    return add(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode), null);
  }

  public TestLayers file(String name, String content, int mode) throws IOException {
    return file(name, content, mode, 0, 0);
  }

  public TestLayers file(String name, String content, int mode, int uid, int gid) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
    e.setUserId((long) uid);
    e.setGroupId((long) gid);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(data.length);
    return add(e, data);
  }

  public TestLayers fileWithXattr(String name, String content, String xattr, String value) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(data.length);
    e.addPaxHeader("SCHILY.xattr." + xattr, value);
    return add(e, data);
  }

  public TestLayers symlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return add(e, null);
  }

  public TestLayers hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
    e.setLinkName(target);
    return add(e, null);
  }

  public TestLayers charDevice(String name, int major, int minor) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, null);
  }

  public TestLayers fifo(String name) throws IOException {
    return add(entry(name, TarConstants.LF_FIFO, 0600), null);
  }

  /** An empty regular file: how whiteouts and opaque markers travel. */
  public TestLayers marker(String name) throws IOException {
    return file(name, "", 0);
  }

  private static TarArchiveEntry entry(String name, byte flag, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setMode(mode);
    e.setLastModifiedTime(MTIME);
    return e;
  }

  private TestLayers add(TarArchiveEntry e, byte[] data) throws IOException {
    tar.putArchiveEntry(e);
    if (data != null) {
      tar.write(data);
    }
    tar.closeArchiveEntry();
    return this;
  }

  public byte[] tar() throws IOException {
    tar.finish();
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  public static byte[] zstd(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new ZstdOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  public static Path sandbox(String name) throws IOException {
    return Files.createTempDirectory("jocker-test-" + name + "-");
  }
}
