package org.jocker.cli.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An unpacked image's files as comparable values: each path (absolute, in the image) with its
 * type, permission bits, owner, and content (a regular file's text, or the SHA-256 of one that is
 * not short UTF-8 text) or link target; never times. The root directory itself is left out (the
 * unpacker makes it).
 */
record ImageTree(SortedMap<String, Entry> entries) {
  private static final int SHORT_TEXT = 4096;

  ImageTree {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** One file of the tree; {@code content} is a file's text or "sha256:...", a link's target, or "" for a directory. */
  record Entry(char type, int mode, int uid, int gid, String content) {
    @Override
    public String toString() {
      return type + String.format(" %04o %d:%d ", mode, uid, gid) + content.replace("\n", "\\n");
    }
  }

  static Entry dir(int mode, int uid, int gid) {
    return new Entry('d', mode, uid, gid, "");
  }

  static Entry file(int mode, int uid, int gid, String text) {
    return new Entry('-', mode, uid, gid, text);
  }

  static Entry link(String target) {
    return new Entry('l', 0777, 0, 0, target);
  }

  /** The tree under {@code rootfs}, read without following any link. */
  static ImageTree read(Path rootfs) {
    SortedMap<String, Entry> entries = new TreeMap<>();
    try (Stream<Path> all = Files.walk(rootfs)) {
      for (Path p : all.toList()) {
        if (!p.equals(rootfs)) {
          entries.put("/" + rootfs.relativize(p), entry(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ImageTree(entries);
  }

  private static Entry entry(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    if (Files.isSymbolicLink(p)) {
      return new Entry('l', mode & 07777, uid, gid, Files.readSymbolicLink(p).toString());
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return dir(mode & 07777, uid, gid);
    }
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return file(mode & 07777, uid, gid, content(Files.readAllBytes(p)));
    }
    return new Entry('?', mode & 07777, uid, gid, "");
  }

  private static String content(byte[] bytes) {
    if (bytes.length <= SHORT_TEXT) {
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException binary) {
        // not text: named by its digest below
      }
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This tree with {@code path} (re)set to {@code entry}. */
  ImageTree with(String path, Entry entry) {
    SortedMap<String, Entry> out = new TreeMap<>(entries);
    out.put(path, entry);
    return new ImageTree(out);
  }

  /** This tree without {@code paths} (each must be there: a test names what it expects gone). */
  ImageTree without(String... paths) {
    SortedMap<String, Entry> out = new TreeMap<>(entries);
    for (String path : paths) {
      if (out.remove(path) == null) {
        throw new IllegalArgumentException(path + " is not in the tree");
      }
    }
    return new ImageTree(out);
  }

  /** This tree without {@code path} where it is an empty directory or an empty file. */
  ImageTree withoutEmpty(String path) {
    Entry e = entries.get(path);
    boolean empty = e != null && e.content().isEmpty()
        && (e.type() == '-' || entries.keySet().stream().noneMatch(p -> p.startsWith(path + "/")));
    return empty ? without(path) : this;
  }

  /**
   * What {@code actual} has that this (expected) tree does not, one line a path: "- PATH ENTRY" for
   * an expected entry it lacks or has otherwise, "+ PATH ENTRY" for what it has instead.
   */
  List<String> differencesFrom(ImageTree actual) {
    Set<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(actual.entries.keySet());
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      Entry mine = entries.get(path);
      Entry theirs = actual.entries.get(path);
      if (mine == null || !mine.equals(theirs)) {
        if (mine != null) {
          out.add("- " + path + " " + mine);
        }
        if (theirs != null) {
          out.add("+ " + path + " " + theirs);
        }
      }
    }
    return out;
  }
}
