package org.jocker.build.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jocker.build.BuildException;
import org.jocker.build.context.ContextEntry;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.OpenFlags;

/**
 * ADD's local archives: a tar, plain or compressed with gzip, bzip2 or xz (known by its first
 * bytes, not its name, as Docker does), is extracted by the host's GNU tar into a directory of
 * the sandbox (owners kept, numeric; tar refuses ".." members and defers links that point out),
 * from where it is copied into the root like any tree. Anything else is copied as a file.
 */
public final class Archives {
  private static final int TAR_MAGIC_OFFSET = 257;

  private Archives() {}

  /** Whether {@code source} names one regular file of {@code tree} that is a tar archive. */
  static boolean isArchive(SourceTree tree, String source) {
    List<ContextEntry> entries;
    try {
      entries = tree.select(source);
    } catch (BuildException e) {
      return false; // the copy reports it
    }
    if (entries.size() != 1 || entries.getFirst().kind() != ContextEntry.Kind.FILE) {
      return false;
    }
    return compression(tree, entries.getFirst().path()) != null;
  }

  /** tar's flag for the archive's compression ("" for none), or null if it is no archive. */
  private static String compression(SourceTree tree, String path) {
    byte[] head = read(tree, path, 512, false);
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return isTar(read(tree, path, 512, true)) ? "-z" : null;
    }
    if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return "-j";
    }
    if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X') {
      return "-J";
    }
    return isTar(head) ? "" : null;
  }

  private static boolean isTar(byte[] block) {
    return block.length >= TAR_MAGIC_OFFSET + 5
        && new String(block, TAR_MAGIC_OFFSET, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  private static byte[] read(SourceTree tree, String path, int bytes, boolean gunzip) {
    try (Descriptor root = Descriptor.open(tree.root(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        Descriptor file = InRoot.of(root).open(path, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW);
        InputStream raw = Files.newInputStream(file.path());
        InputStream in = gunzip ? new GZIPInputStream(raw) : raw) {
      return in.readNBytes(bytes);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Extracts the archive {@code source} of {@code tree} into {@code into}; returns {@code into}. */
  static Path extract(SourceTree tree, String source, Path into) {
    String path = tree.select(source).getFirst().path();
    String flag = compression(tree, path);
    try (Descriptor root = Descriptor.open(tree.root(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        Descriptor file = InRoot.of(root).open(path, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW);
        InputStream in = Files.newInputStream(file.path())) {
      extract(in, flag, into, source);
      return into;
    } catch (IOException e) {
      throw new BuildException("cannot extract " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Has GNU tar extract the tar stream {@code in} ({@code flag}: -z, -j, -J or "" for none, null
   * to let tar find out) into {@code into}, owners kept; {@code name} is what errors call it.
   */
  public static void extract(InputStream in, String flag, Path into, String name) {
    List<String> command = new ArrayList<>(List.of("tar", "-x", "--same-owner", "--numeric-owner",
        "-f", "-", "-C", into.toString()));
    if (flag != null && !flag.isEmpty()) {
      command.add(1, flag);
    }
    try {
      Process tar = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream stdin = tar.getOutputStream()) {
        in.transferTo(stdin);
      } catch (IOException e) {
        // tar stopped reading: its exit status says why
      }
      byte[] err = tar.getErrorStream().readAllBytes();
      if (tar.waitFor() != 0) {
        throw new BuildException("cannot extract " + name + ": "
            + new String(err, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("tar failed"));
      }
    } catch (IOException e) {
      throw new BuildException("cannot extract " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while extracting " + name);
    }
  }

  /** tar's flag for a stream starting with {@code head}: "-z" for gzip, "" for a plain tar, null for no tar. */
  public static String streamFlag(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return "-z";
    }
    return isTar(head) ? "" : null;
  }
}
