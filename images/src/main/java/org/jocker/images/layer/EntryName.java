package org.jocker.images.layer;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jocker.images.ImageException;

/** Cleans tar entry names into paths relative to the layer root, refusing any that escape it. */
final class EntryName {
  private EntryName() {}

  /**
   * {@code name} with "." and empty components dropped, ".." applied and a leading "/" made
   * relative; "" is the root itself. A ".." that would climb above the root is rejected.
   */
  static String clean(String name, String what) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new ImageException(what + " " + name + ": path escapes the layer root");
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  static String parent(String clean) {
    int slash = clean.lastIndexOf('/');
    return slash < 0 ? "" : clean.substring(0, slash);
  }

  static String base(String clean) {
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  static String join(String parent, String base) {
    return parent.isEmpty() ? base : parent + "/" + base;
  }
}
