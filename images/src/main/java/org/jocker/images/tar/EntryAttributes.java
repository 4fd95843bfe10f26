package org.jocker.images.tar;

import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tar entry's metadata: the header's mode field as written, the owner (ids; names only when
 * given), the modification time, and extended attributes (PAX records, in this order).
 */
public record EntryAttributes(int mode, long uid, long gid, String userName, String groupName,
    FileTime modified, Map<String, byte[]> xattrs) {

  public EntryAttributes {
    xattrs = Collections.unmodifiableMap(new LinkedHashMap<>(xattrs));
  }

  /** Owned by 0:0, no owner names, no xattrs. */
  public static EntryAttributes of(int mode, FileTime modified) {
    return new EntryAttributes(mode, 0, 0, null, null, modified, Map.of());
  }

  /** The same, with the owner also named (tar readers then map the names, not the ids). */
  public EntryAttributes withOwnerNames(String user, String group) {
    return new EntryAttributes(mode, uid, gid, user, group, modified, xattrs);
  }
}
