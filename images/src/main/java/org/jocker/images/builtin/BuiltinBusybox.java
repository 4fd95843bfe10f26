package org.jocker.images.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jocker.images.ImageException;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.LayerBlob;
import org.jocker.images.create.LayerWriter;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.tar.EntryAttributes;
import org.jocker.images.tar.TarWriter;

/**
 * The image `busybox` when no registry can provide it: one layer made from Debian's
 * busybox-static (the binary, its applet links, /etc/passwd and /etc/group), with {@code Cmd
 * ["sh"]}. The layer is reproducible: sorted entries, every time the binary's mtime, so the same
 * busybox always gives the same image ID.
 */
public final class BuiltinBusybox {
  public static final Reference NAME = Reference.parse("busybox:latest");
  public static final Path BINARY = Path.of("/bin/busybox");
  private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> DIRECTORIES =
      List.of("bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var");
  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      daemon:x:1:1:daemon:/usr/sbin:/bin/false
      bin:x:2:2:bin:/bin:/bin/false
      sys:x:3:3:sys:/dev:/bin/false
      sync:x:4:100:sync:/bin:/bin/sync
      mail:x:8:8:mail:/var/spool/mail:/bin/false
      www-data:x:33:33:www-data:/var/www:/bin/false
      operator:x:37:37:Operator:/var:/bin/false
      nobody:x:65534:65534:nobody:/home:/bin/false
      """;
  private static final String GROUP = """
      root:x:0:
      daemon:x:1:
      bin:x:2:
      sys:x:3:
      adm:x:4:
      tty:x:5:
      disk:x:6:
      mail:x:8:
      wheel:x:10:
      www-data:x:33:
      operator:x:37:
      users:x:100:
      nogroup:x:65534:
      """;

  private final LayerWriter layers;
  private final ImageAssembler assembler;

  public BuiltinBusybox(LayerWriter layers, ImageAssembler assembler) {
    this.layers = layers;
    this.assembler = assembler;
  }

  /** Whether {@code ref} names the image this class can make. */
  public static boolean provides(Reference ref) {
    return ref.name().equals(NAME.name()) && NAME.tag().equals(ref.tag()) && ref.digest() == null;
  }

  public Image build() {
    if (!Files.isRegularFile(BINARY)) {
      throw new ImageException("busybox: no registry provides it and " + BINARY
          + " is missing: install Debian's busybox-static");
    }
    try {
      Instant mtime = Files.getLastModifiedTime(BINARY).toInstant();
      List<String> applets = applets();
      LayerBlob layer = layers.write(tar -> writeEntries(tar, mtime, applets));
      ImageConfig.ContainerConfig config = new ImageConfig.ContainerConfig(null, null, List.of(PATH_ENV),
          null, List.of("sh"), null, null, null, null, null);
      ImageConfig.History history = new ImageConfig.History(mtime.toString(),
          "jocker: built-in busybox from " + BINARY + " (Debian's busybox-static)", null, null, null);
      return assembler.assemble(List.of(layer), config, List.of(history), mtime.toString(), List.of(NAME));
    } catch (IOException e) {
      throw new ImageException("busybox: cannot build the built-in image: " + e.getMessage(), e);
    }
  }

  private static void writeEntries(TarWriter tar, Instant mtime, List<String> applets) throws IOException {
    FileTime time = FileTime.from(mtime);
    for (String dir : new TreeSet<>(DIRECTORIES)) {
      tar.directory(dir, ownedByRoot(dir.equals("tmp") ? 01777 : dir.equals("root") ? 0700 : 0755, time));
    }
    tar.file("bin/busybox", Files.size(BINARY), out -> Files.copy(BINARY, out), ownedByRoot(0755, time));
    for (String applet : applets) {
      tar.symlink("bin/" + applet, "busybox", ownedByRoot(0777, time));
    }
    addText(tar, "etc/group", GROUP, time);
    addText(tar, "etc/passwd", PASSWD, time);
  }

  private static void addText(TarWriter tar, String name, String text, FileTime time) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    tar.file(name, bytes.length, TarWriter.Content.of(bytes), ownedByRoot(0644, time));
  }

  private static EntryAttributes ownedByRoot(int mode, FileTime time) {
    return EntryAttributes.of(mode, time).withOwnerNames("root", "root");
  }

  /** The applet names, sorted; busybox-static prints them on stderr. */
  private static List<String> applets() throws IOException {
    Process p = new ProcessBuilder(BINARY.toString(), "--list").redirectErrorStream(true).start();
    List<String> names = new ArrayList<>();
    try (InputStream in = p.getInputStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String name = line.strip();
        if (!name.isEmpty() && !name.equals("busybox") && name.matches("[\\w.\\[\\]-]+")) {
          names.add(name);
        }
      }
    }
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    names.sort(null);
    return names;
  }
}
