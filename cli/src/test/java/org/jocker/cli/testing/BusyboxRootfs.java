package org.jocker.cli.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A busybox root filesystem from Debian's busybox-static, for tests. */
public final class BusyboxRootfs {
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  public static Path create(Path rootfs) throws IOException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    // busybox-static prints its applet list on stderr
    Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
    for (String applet : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
    return rootfs;
  }
}
