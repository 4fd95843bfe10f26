package org.jocker.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.images.ImageService;
import org.jocker.images.archive.LoadedImage;
import org.jocker.images.store.Image;

/**
 * Jocker's layer unpack for bench/unpack.sh: loads an image archive into a fresh store under
 * ROOT (not timed), syncs and drops the page cache, then times ImageService.unpack, which
 * unpacks every layer into its committed snapshot. Prints "RESULT name=jocker ms=...".
 *
 * <p>usage: UnpackBench ROOT ARCHIVE [NAME]
 */
public final class UnpackBench {
  private UnpackBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String name = args.length > 2 ? args[2] : "jocker";
    ImageService service = ImageService.open(root);
    LoadedImage loaded;
    try (InputStream archive = Files.newInputStream(Path.of(args[1]))) {
      loaded = service.archives().load(archive).get(0);
    }
    Image image = service.catalog().find(loaded.id()).orElseThrow();
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
    long start = System.nanoTime();
    service.unpack(image);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("RESULT name=" + name + " ms=" + ms);
  }
}
