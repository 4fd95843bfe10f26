package org.jocker.build.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocker.build.BuildException;
import org.jocker.build.context.ContextEntry;

/**
 * The digest of what a COPY or ADD takes from the context, as BuildKit's content hash sees it:
 * each entry's name, kind, mode, owner, and its bytes (a file) or target (a link), never its
 * mtime. A file's content digest is kept, for the life of the process (the resident engine's: so
 * across builds), under its identity (device, inode, size, mtime, ctime): an unchanged file is not
 * read again, and one only touched is read again to the same digest.
 */
final class ContentDigests {
  /** Beyond this many remembered files, start again (a bound on memory, not on correctness). */
  private static final int MAX_REMEMBERED = 1_000_000;
  private static final Map<FileIdentity, String> CONTENT = new ConcurrentHashMap<>();

  private record FileIdentity(String path, Object device, Object inode, long size, FileTime mtime, Object ctime) {}

  private ContentDigests() {}

  /** The digest of the entries {@code sources} select in {@code tree}, directories with their contents. */
  static String of(SourceTree tree, List<String> sources) {
    return of(tree, sources, new CopySelection(tree, List.of(), false));
  }

  /** The digest of what {@code selection} copies of {@code sources}: what the copy reads, no more. */
  static String of(SourceTree tree, List<String> sources, CopySelection selection) {
    MessageDigest sha = sha256();
    for (String source : sources) {
      update(sha, "source " + source);
      for (CopySelection.Part part : selection.select(source)) {
        entry(sha, tree.root(), part.entry());
        part.below().forEach(b -> entry(sha, tree.root(), b.entry()));
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static void entry(MessageDigest sha, Path root, ContextEntry entry) {
    Path path = root.resolve(entry.path().isEmpty() ? "." : entry.path());
    try {
      Map<String, Object> attrs = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
      update(sha, entry.path() + "\0" + entry.kind() + "\0" + attrs.get("mode") + "\0" + attrs.get("uid") + "\0"
          + attrs.get("gid"));
      switch (entry.kind()) {
        case FILE -> update(sha, content(path, attrs));
        case SYMLINK -> update(sha, String.valueOf(entry.linkTarget()));
        default -> {}
      }
    } catch (IOException e) {
      throw new BuildException("cannot read " + entry.path() + " in the context: " + e.getMessage(), e);
    }
  }

  private static String content(Path path, Map<String, Object> attrs) throws IOException {
    FileIdentity id = new FileIdentity(path.toString(), attrs.get("dev"), attrs.get("ino"), (Long) attrs.get("size"),
        (FileTime) attrs.get("lastModifiedTime"), attrs.get("ctime"));
    String known = CONTENT.get(id);
    if (known != null) {
      return known;
    }
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    String digest = HexFormat.of().formatHex(sha.digest());
    if (CONTENT.size() >= MAX_REMEMBERED) {
      CONTENT.clear();
    }
    CONTENT.put(id, digest);
    return digest;
  }

  /** Adds {@code value}, length-prefixed so that no field can run into the next. */
  static void update(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
    sha.update(bytes);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
