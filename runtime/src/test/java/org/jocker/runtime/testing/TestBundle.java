package org.jocker.runtime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;

/** An OCI bundle with a busybox root filesystem (from Debian's busybox-static), for tests. */
public final class TestBundle {
  public static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TestBundle() {}

  /** Writes rootfs/ (busybox with its applet links) and config.json running {@code args}. */
  public static Path create(Path dir, List<String> args) throws IOException {
    return create(dir, args, s -> s);
  }

  public static Path create(Path dir, List<String> args, UnaryOperator<Spec> edit) throws IOException {
    createRootfs(dir.resolve("rootfs"));
    Spec spec = edit.apply(DefaultSpec.create(args, false));
    writeSpec(dir, spec);
    return dir;
  }

  /** A busybox root filesystem: busybox, its applet links, /etc/passwd and /etc/group. */
  public static Path createRootfs(Path rootfs) throws IOException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String applet : applets()) {
      if (!applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    return rootfs;
  }

  public static void writeSpec(Path bundle, Spec spec) throws IOException {
    Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(spec));
  }

  private static List<String> applets() throws IOException {
    // busybox-static prints the list on stderr
    Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
