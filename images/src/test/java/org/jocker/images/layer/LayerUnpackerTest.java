package org.jocker.images.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.images.tar.FileStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LayerUnpackerTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  /** security.capability v2 for cap_net_bind_service (all bytes below 0x80). */
  private static final String CAP_NET_BIND = new String(
      new byte[] {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, StandardCharsets.ISO_8859_1);

  private final LayerUnpacker unpacker = new LayerUnpacker();
  private Path sandbox;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = TestLayers.sandbox("unpack");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> walk = Files.walk(sandbox)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Path target(String name) throws IOException {
    return Files.createDirectory(sandbox.resolve(name));
  }

  static byte[] everyKindOfEntry() throws IOException {
    return new TestLayers()
        .dir("etc", 0755)
        .file("etc/hello", "hello world\n", 0644, 1000, 1000)
        .file("usr/bin/su", "#!/bin/true\n", 04755)
        .dir("tmp", 01777)
        .symlink("etc/link", "hello")
        .hardlink("etc/hard", "etc/hello")
        .charDevice("dev/null2", 1, 3)
        .fifo("run/fifo")
        .fileWithXattr("usr/bin/ping", "ping", "security.capability", CAP_NET_BIND)
        .fileWithXattr("etc/noted", "x", "user.note", "hi")
        .tar();
  }

  @Test
  void unpacksEveryKindOfEntryWithOwnershipModesTimesAndXattrs() throws IOException {
    Path root = target("root");
    byte[] tar = everyKindOfEntry();
    LayerDigest digest = unpacker.unpack(new ByteArrayInputStream(tar), root);

    assertThat(digest.diffId()).isEqualTo(sha256(tar));
    assertThat(digest.size()).isEqualTo(tar.length);
    Map<String, Object> hello = Files.readAttributes(root.resolve("etc/hello"), "unix:*", NOFOLLOW);
    assertThat(Files.readString(root.resolve("etc/hello"))).isEqualTo("hello world\n");
    assertThat(hello.get("uid")).isEqualTo(1000);
    assertThat(hello.get("gid")).isEqualTo(1000);
    assertThat((Integer) hello.get("mode") & 07777).isEqualTo(0644);
    assertThat(hello.get("nlink")).isEqualTo(2);
    assertThat(hello.get("lastModifiedTime")).isEqualTo(TestLayers.MTIME);
    assertThat(Files.getAttribute(root.resolve("etc/hard"), "unix:ino", NOFOLLOW)).isEqualTo(hello.get("ino"));
    assertThat((Integer) Files.getAttribute(root.resolve("usr/bin/su"), "unix:mode") & 07777).isEqualTo(04755);
    assertThat((Integer) Files.getAttribute(root.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
    assertThat(Files.getAttribute(root.resolve("etc"), "unix:lastModifiedTime")).isEqualTo(TestLayers.MTIME);
    assertThat(Files.readSymbolicLink(root.resolve("etc/link"))).isEqualTo(Path.of("hello"));
    assertThat(Files.getAttribute(root.resolve("etc/link"), "unix:lastModifiedTime", NOFOLLOW))
        .isEqualTo(TestLayers.MTIME);
    FileStat dev = FileStat.of(root.resolve("dev/null2"));
    assertThat(dev.type()).isEqualTo(FileStat.Type.CHAR_DEVICE);
    assertThat(dev.deviceMajor()).isEqualTo(1);
    assertThat(dev.deviceMinor()).isEqualTo(3);
    assertThat((Integer) Files.getAttribute(root.resolve("run/fifo"), "unix:mode") & 0170000).isEqualTo(0010000);
    assertThat(FileSystemCalls.linux().xattrs(root.resolve("usr/bin/ping")).get("security.capability"))
        .isEqualTo(CAP_NET_BIND.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(FileSystemCalls.linux().xattrs(root.resolve("etc/noted")).get("user.note")).isEqualTo("hi".getBytes());
  }

  @Test
  void gzipAndZstdGiveTheSameTreeAndDiffId() throws IOException {
    byte[] tar = everyKindOfEntry();
    LayerDigest plain = unpacker.unpack(new ByteArrayInputStream(tar), target("plain"));
    LayerDigest gzip = unpacker.unpack(new ByteArrayInputStream(TestLayers.gzip(tar)), target("gzip"));
    LayerDigest zstd = unpacker.unpack(new ByteArrayInputStream(TestLayers.zstd(tar)), Compression.ZSTD,
        target("zstd"));

    assertThat(gzip).isEqualTo(plain);
    assertThat(zstd).isEqualTo(plain);
    List<String> expected = TreeListing.of(sandbox.resolve("plain"), true);
    assertThat(TreeListing.of(sandbox.resolve("gzip"), true)).isEqualTo(expected);
    assertThat(TreeListing.of(sandbox.resolve("zstd"), true)).isEqualTo(expected);
  }

  @Test
  void compressionIsToldByMagicAndMediaType() {
    assertThat(Compression.ofMagic(new byte[] {0x1f, (byte) 0x8b, 8, 0})).isEqualTo(Compression.GZIP);
    assertThat(Compression.ofMagic(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).isEqualTo(Compression.ZSTD);
    assertThat(Compression.ofMagic("etc/".getBytes())).isEqualTo(Compression.NONE);
    assertThat(Compression.ofMediaType("application/vnd.oci.image.layer.v1.tar+zstd")).contains(Compression.ZSTD);
    assertThat(Compression.ofMediaType("application/vnd.docker.image.rootfs.diff.tar.gzip")).contains(Compression.GZIP);
    assertThat(Compression.ofMediaType("application/vnd.oci.image.layer.v1.tar")).contains(Compression.NONE);
    assertThat(Compression.ofMediaType("application/json")).isEmpty();
  }

  @Test
  void whiteoutsBecomeOverlayCharacterDevicesAndOpaqueXattrs() throws IOException {
    Path root = target("root");
    unpacker.unpack(new ByteArrayInputStream(new TestLayers()
        .dir("etc", 0755).marker("etc/.wh.passwd")
        .dir("opt", 0755).marker("opt/.wh..wh..opq").file("opt/new", "n", 0644)
        .tar()), root);

    Map<String, Object> whiteout = Files.readAttributes(root.resolve("etc/passwd"), "unix:*", NOFOLLOW);
    assertThat((Integer) whiteout.get("mode") & 0170000).isEqualTo(0020000);
    assertThat(whiteout.get("rdev")).isEqualTo(0L);
    assertThat(FileSystemCalls.linux().xattrs(root.resolve("opt")).get("trusted.overlay.opaque")).isEqualTo("y".getBytes());
    assertThat(root.resolve("opt/.wh..wh..opq")).doesNotExist();
    assertThat(root.resolve("opt/new")).hasContent("n");
  }

  @Test
  void aLayerCannotSetOverlayXattrs() throws IOException {
    Path root = target("root");
    unpacker.unpack(new ByteArrayInputStream(new TestLayers()
        .fileWithXattr("f", "x", "trusted.overlay.redirect", "/etc").tar()), root);
    assertThat(FileSystemCalls.linux().xattrs(root.resolve("f"))).doesNotContainKey("trusted.overlay.redirect");
  }

  @Test
  void rejectsDotDotEscapes() throws IOException {
    assertRejected(new TestLayers().file("../evil", "x", 0644).tar(), "../evil", "escapes the layer root");
    assertRejected(new TestLayers().file("a/../../evil", "x", 0644).tar(), "a/../../evil", "escapes the layer root");
    assertRejected(new TestLayers().marker(".wh...").tar(), ".wh...", "invalid whiteout name");
  }

  @Test
  void neverWritesThroughASymlink() throws IOException {
    Path outside = Files.createDirectory(sandbox.resolve("outside"));
    assertRejected(new TestLayers().symlink("link", outside.toString()).file("link/passwd", "root::0:0::/:/bin/sh", 0644)
        .tar(), "link/passwd", "parent link is a symlink");
    assertRejected(new TestLayers().symlink("link", "/etc").file("link/passwd", "x", 0644).tar(),
        "link/passwd", "is a symlink");
    assertRejected(new TestLayers().symlink("up", "..").symlink("up/evil", "/").tar(), "up/evil", "is a symlink");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void rejectsHardLinksOutOfTheRoot() throws IOException {
    assertRejected(new TestLayers().hardlink("passwd", "../../etc/passwd").tar(), "passwd", "../../etc/passwd: path escapes");
    assertRejected(new TestLayers().symlink("etc", "/etc").hardlink("passwd", "etc/passwd").tar(), "passwd",
        "parent etc is a symlink");
  }

  @Test
  void absoluteNamesAreMadeRelative() throws IOException {
    Path root = target("root");
    unpacker.unpack(new ByteArrayInputStream(new TestLayers().file("/abs/file", "a", 0644).tar()), root);
    assertThat(root.resolve("abs/file")).hasContent("a");
  }

  @Test
  void laterEntriesReplaceEarlierOnes() throws IOException {
    Path root = target("root");
    unpacker.unpack(new ByteArrayInputStream(new TestLayers()
        .dir("a", 0755).file("a/x", "x", 0644).file("a", "now a file", 0600)
        .file("b", "old", 0644).symlink("b", "a").tar()), root);
    assertThat(root.resolve("a")).isRegularFile().hasContent("now a file");
    assertThat(Files.readSymbolicLink(root.resolve("b"))).isEqualTo(Path.of("a"));
  }

  private void assertRejected(byte[] tar, String entry, String reason) throws IOException {
    Path root = Files.createTempDirectory(sandbox, "target");
    assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(tar), root))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("layer entry " + entry + ":")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    try (Stream<Path> siblings = Files.list(sandbox)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .allMatch(name -> name.startsWith("target") || name.equals("outside"));
    }
    assertThat(Path.of("/evil")).doesNotExist();
  }

  static String sha256(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
