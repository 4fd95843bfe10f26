package org.jocker.images.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.jocker.images.ImageException;
import org.jocker.images.layer.FileSystemCallException;
import org.jocker.kernel.Errno;
import org.junit.jupiter.api.Test;

/** What OverlayMounter does before any mount is made: its choices, and the options it shortens. */
class OverlayMounterTest {
  private static final Path TARGET = Path.of("/nonexistent/rootfs");

  /** A read-only overlay of {@code count} snapshots numbered from {@code first}, top first. */
  private static Mount layers(int first, int count) {
    List<String> lowers = IntStream.range(0, count).map(i -> first + count - 1 - i)
        .mapToObj(n -> "/var/lib/jocker/images/snapshots/" + n + "/fs").toList();
    return new Mount("overlay", "overlay", List.of("ro", "lowerdir=" + String.join(":", lowers)));
  }

  @Test
  void optionsAreShortenedToPathsRelativeToTheDirectoryHoldingThemAll() {
    RelativeOverlayOptions relative = RelativeOverlayOptions.of(List.of("index=off",
        "lowerdir=/s/snapshots/12/fs:/s/snapshots/3/fs", "upperdir=/s/snapshots/14/fs",
        "workdir=/s/snapshots/14/work"));
    assertThat(relative.directory()).isEqualTo(Path.of("/s/snapshots"));
    assertThat(relative.data()).isEqualTo("index=off,lowerdir=12/fs:3/fs,upperdir=14/fs,workdir=14/work");
  }

  @Test
  void fourHundredLayersOfSixDigitSnapshotsFitInOnePage() {
    Mount mount = layers(100_000, 400);
    RelativeOverlayOptions relative = RelativeOverlayOptions.of(List.of(mount.options().get(1)));
    assertThat(relative.data()).hasSizeLessThan(4096).startsWith("lowerdir=100399/fs:100398/fs:");
  }

  @Test
  void whatDoesNotFitEvenShortenedIsRefusedNamingTheLimit() {
    LowerdirPlusRefused refused = new LowerdirPlusRefused(Errno.EINVAL);
    assertThatThrownBy(() -> layers(1_000_000, 450).mount(TARGET, refused))
        .isInstanceOf(ImageException.class)
        .hasMessage("cannot mount 450 layers on /nonexistent/rootfs with this kernel: even relative to"
            + " /var/lib/jocker/images/snapshots the overlay options take 4958 bytes, and mount(2) takes"
            + " 4095 (Linux 6.8 and later mount up to overlay's 500 layers)")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .extracting(s -> ((FileSystemCallException) s).errno()).isEqualTo(Errno.EINVAL));
    assertThat(refused.relativeTo()).isEmpty();
  }

  @Test
  void otherFailuresOfTheNewMountApiArePassedOn() {
    LowerdirPlusRefused refused = new LowerdirPlusRefused(Errno.EPERM);
    assertThatThrownBy(() -> layers(1, 200).mount(TARGET, refused))
        .isInstanceOf(FileSystemCallException.class)
        .hasMessageStartingWith("fsconfig lowerdir+=/var/lib/jocker/images/snapshots/200/fs for /nonexistent/rootfs: ");
    assertThat(refused.relativeTo()).isEmpty();
  }
}
