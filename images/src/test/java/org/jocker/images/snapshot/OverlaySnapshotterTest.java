package org.jocker.images.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.images.layer.Change;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.layer.LayerDigest;
import org.jocker.images.layer.LayerUnpacker;
import org.jocker.images.layer.TestLayers;
import org.jocker.images.layer.TreeListing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OverlaySnapshotterTest {
  private final LayerUnpacker unpacker = new LayerUnpacker();
  MountTracker mounts;
  Path sandbox;
  OverlaySnapshotter snapshotter;

  /** The calls mounts are made with: this kernel's own. */
  FileSystemCalls calls() {
    return FileSystemCalls.linux();
  }

  @BeforeEach
  void setUp() throws IOException {
    mounts = new MountTracker(calls());
    sandbox = TestLayers.sandbox("snapshots");
    snapshotter = new OverlaySnapshotter(sandbox.resolve("root"));
  }

  @AfterEach
  void tearDown() throws IOException {
    mounts.close();
    assertThat(MountTracker.mountsNaming(sandbox)).isEmpty();
    try (Stream<Path> walk = Files.walk(sandbox)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** prepare, unpack into the snapshot's directory, commit under the chain id. */
  private LayerDigest apply(String chainId, String parent, byte[] tar) {
    String key = "extract-" + chainId;
    snapshotter.prepare(key, parent);
    LayerDigest digest = unpacker.unpack(new ByteArrayInputStream(tar), snapshotter.contentDir(key));
    snapshotter.commit(chainId, key);
    return digest;
  }

  private static byte[] base() throws IOException {
    return new TestLayers()
        .dir("etc", 0755).file("etc/passwd", "root:x:0:0\n", 0644).file("etc/hosts", "127.0.0.1\n", 0644)
        .dir("opt", 0755).file("opt/old1", "1", 0644).dir("opt/sub", 0755).file("opt/sub/old2", "2", 0644)
        .tar();
  }

  @Test
  void whiteoutAndOpaqueLayersHideLowerContentInTheMountedChain() throws IOException {
    apply("chain-base", null, base());
    apply("chain-upper", "chain-base", new TestLayers()
        .dir("etc", 0755).marker("etc/.wh.passwd")
        .dir("opt", 0755).marker("opt/.wh..wh..opq").file("opt/new", "new", 0644).tar());

    Path rootfs = mounts.mount(snapshotter.view("view", "chain-upper"), sandbox.resolve("rootfs"));

    assertThat(rootfs.resolve("etc/passwd")).doesNotExist();
    assertThat(rootfs.resolve("etc/hosts")).hasContent("127.0.0.1\n");
    try (Stream<Path> opt = Files.list(rootfs.resolve("opt"))) {
      assertThat(opt.map(p -> p.getFileName().toString())).containsExactly("new");
    }
    assertThatThrownBy(() -> Files.writeString(rootfs.resolve("etc/x"), "x")).isInstanceOf(IOException.class);
  }

  @Test
  void layerDiffRoundTripsWhatTheContainerSaw() throws IOException {
    apply("chain-base", null, base());
    Mount mount = snapshotter.prepare("container", "chain-base");
    assertThat(mount.type()).isEqualTo("overlay");
    assertThat(mount.options()).anyMatch(o -> o.startsWith("lowerdir=") && o.endsWith("/fs"));
    Path rootfs = mounts.mount(mount, sandbox.resolve("rootfs"));
    FileTime mtime = FileTime.from(Instant.parse("2022-01-01T00:00:00Z"));
    Files.writeString(rootfs.resolve("etc/hosts"), "10.0.0.1\n");
    Files.setLastModifiedTime(rootfs.resolve("etc/hosts"), mtime);
    Files.delete(rootfs.resolve("etc/passwd"));
    Files.createDirectories(rootfs.resolve("srv/data"));
    Files.writeString(rootfs.resolve("srv/data/a"), "a");
    Files.createLink(rootfs.resolve("srv/data/b"), rootfs.resolve("srv/data/a"));
    Files.createSymbolicLink(rootfs.resolve("srv/link"), Path.of("data/a"));
    FileSystemCalls.linux().lchown(rootfs.resolve("srv/data/a"), 1000, 1000);
    FileSystemCalls.linux().chmod(rootfs.resolve("srv/data/a"), 04750);
    FileSystemCalls.linux().setXattr(rootfs.resolve("srv/data/a"), "user.tag", "v".getBytes());
    FileSystemCalls.linux().mknod(rootfs.resolve("srv/fifo"), 0010644, 0, 0);
    // opaque: replace the whole directory
    try (Stream<Path> walk = Files.walk(rootfs.resolve("opt"))) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.createDirectory(rootfs.resolve("opt"));
    Files.writeString(rootfs.resolve("opt/fresh"), "f");
    List<String> seen = TreeListing.of(rootfs, true);
    mounts.unmount(rootfs);

    Path upper = snapshotter.contentDir("container");
    LayerDiff diff = new LayerDiff();
    List<String> changes = diff.changes(upper, List.of(sandbox.resolve("root/snapshots/1/fs")))
        .stream().map(Change::toString).toList();
    assertThat(changes).contains("C /etc", "C /etc/hosts", "D /etc/passwd", "C /opt", "A /opt/fresh",
        "A /srv", "A /srv/data/a", "A /srv/link");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerDigest written = diff.writeTar(upper, tar);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertThat(diff.writeTar(upper, again)).isEqualTo(written); // deterministic

    assertThat(apply("chain-diff", "chain-base", tar.toByteArray())).isEqualTo(written);
    Path replay = mounts.mount(snapshotter.view("replay", "chain-diff"), sandbox.resolve("replay"));
    assertThat(TreeListing.of(replay, true)).isEqualTo(seen);
  }

  @Test
  void commitAndRemoveFollowTheParentRules() throws IOException {
    Mount bind = snapshotter.prepare("first", null);
    assertThat(bind.type()).isEqualTo("bind");
    assertThatThrownBy(() -> snapshotter.prepare("child", "first"))
        .isInstanceOf(ImageException.class).hasMessage("parent snapshot first is not committed (it is active)");
    snapshotter.commit("c1", "first");
    assertThat(snapshotter.exists("first")).isFalse();
    assertThat(snapshotter.exists("c1")).isTrue();
    snapshotter.prepare("child", "c1");
    snapshotter.view("look", "c1");
    assertThatThrownBy(() -> snapshotter.view("look2", "nope")).hasMessage("snapshot nope does not exist");
    assertThatThrownBy(() -> snapshotter.commit("c2", "look")).hasMessage("cannot commit snapshot look: it is view");
    assertThatThrownBy(() -> snapshotter.prepare("child", "c1")).hasMessage("snapshot child already exists");
    assertThatThrownBy(() -> snapshotter.remove("c1"))
        .isInstanceOf(ImageException.class).hasMessage("cannot remove snapshot c1: it is the parent of child, look");

    assertThat(snapshotter.list()).extracting(SnapshotInfo::key).containsExactly("c1", "child", "look");
    assertThat(snapshotter.stat("child").orElseThrow().parent()).isEqualTo("c1");
    snapshotter.remove("child");
    snapshotter.remove("look");
    snapshotter.remove("c1");
    assertThat(snapshotter.list()).isEmpty();
    try (Stream<Path> left = Files.list(sandbox.resolve("root/snapshots"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void usageCountsBytesAndInodesOfTheSnapshotItself() throws IOException {
    apply("chain-base", null, base());
    SnapshotUsage usage = snapshotter.usage("chain-base");
    assertThat(usage.inodes()).isEqualTo(8); // fs, etc, 2 files, opt, old1, sub, old2
    assertThat(usage.bytes()).isGreaterThanOrEqualTo(11 + 10 + 1 + 1);
  }

  @Test
  void crashLeftoversAreCleanedWhenOpened() throws IOException {
    apply("chain-base", null, base());
    Path snapshots = sandbox.resolve("root/snapshots");
    Files.createDirectories(snapshots.resolve("7/fs/etc")); // crashed while creating: no meta.json
    Files.createDirectories(snapshots.resolve("removing-3/fs")); // crashed while removing
    assertThat(snapshotter.list()).extracting(SnapshotInfo::key).containsExactly("chain-base");

    OverlaySnapshotter reopened = new OverlaySnapshotter(sandbox.resolve("root"));
    assertThat(snapshots.resolve("7")).doesNotExist();
    assertThat(snapshots.resolve("removing-3")).doesNotExist();
    assertThat(reopened.exists("chain-base")).isTrue();
  }

  @Test
  void twoSnapshottersOnOneRootDoNotCollide() throws Exception {
    OverlaySnapshotter other = new OverlaySnapshotter(sandbox.resolve("root"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        OverlaySnapshotter s = i % 2 == 0 ? snapshotter : other;
        String key = "k" + i;
        done.add(pool.submit(() -> s.prepare(key, null)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(snapshotter.list()).hasSize(40);
  }

  /**
   * A chain of {@code count} layers, each adding "layerN" and writing "top" over the one below;
   * returns the top chain id. Their lowerdir list is longer than a page.
   */
  String manyLayers(int count) throws IOException {
    String parent = null;
    for (int i = 0; i < count; i++) {
      String chain = "chain-" + i;
      apply(chain, parent, new TestLayers().file("layer" + i, Integer.toString(i), 0644)
          .file("top", Integer.toString(i), 0644).tar());
      parent = chain;
    }
    return parent;
  }

  @Test
  void manyLowerLayersStillMount() throws IOException {
    Mount mount = snapshotter.prepare("container", manyLayers(120));
    assertThat(String.join(",", mount.options()).length()).isGreaterThan(4096); // about 120 * 60 bytes
    Path rootfs = mounts.mount(mount, sandbox.resolve("rootfs"));
    assertThat(rootfs.resolve("layer0")).hasContent("0");
    assertThat(rootfs.resolve("layer119")).hasContent("119");
    assertThat(rootfs.resolve("top")).hasContent("119"); // the layers kept their order
    Files.writeString(rootfs.resolve("layer0"), "changed");
    assertThat(snapshotter.contentDir("container").resolve("layer0")).hasContent("changed");
  }

  @Test
  void manyLowerLayersStillMountReadOnly() throws IOException {
    Path rootfs = mounts.mount(snapshotter.view("view", manyLayers(110)), sandbox.resolve("rootfs"));
    assertThat(rootfs.resolve("layer0")).hasContent("0");
    assertThat(rootfs.resolve("top")).hasContent("109");
    assertThatThrownBy(() -> Files.writeString(rootfs.resolve("x"), "x")).isInstanceOf(IOException.class);
  }
}
