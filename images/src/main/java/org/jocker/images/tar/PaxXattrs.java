package org.jocker.images.tar;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extended attributes carried in PAX records. SCHILY.xattr.NAME (what Docker, containerd and
 * GNU tar write) holds the raw value; commons-compress hands PAX values over as UTF-8 strings, so
 * a value that is not valid UTF-8 cannot be kept byte for byte that way and is written (and read)
 * as LIBARCHIVE.xattr.NAME=base64 instead, as bsdtar does.
 */
public final class PaxXattrs {
  static final String SCHILY = "SCHILY.xattr.";
  static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private PaxXattrs() {}

  /** The xattrs of {@code entry}, by name, in header order. */
  public static Map<String, byte[]> read(TarArchiveEntry entry) {
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
      String key = header.getKey();
      if (key.startsWith(SCHILY)) {
        xattrs.put(key.substring(SCHILY.length()), header.getValue().getBytes(StandardCharsets.UTF_8));
      } else if (key.startsWith(LIBARCHIVE)) {
        String name = java.net.URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
        xattrs.put(name, Base64.getDecoder().decode(header.getValue().strip()));
      }
    }
    return xattrs;
  }

  /** Adds {@code name}={@code value} to {@code entry}'s PAX records, losslessly. */
  static void write(TarArchiveEntry entry, String name, byte[] value) {
    if (isUtf8(value)) {
      entry.addPaxHeader(SCHILY + name, new String(value, StandardCharsets.UTF_8));
    } else {
      entry.addPaxHeader(LIBARCHIVE + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8),
          Base64.getEncoder().encodeToString(value));
    }
  }

  private static boolean isUtf8(byte[] value) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }
}
