package org.jocker.images.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;

/**
 * A normalised image reference: registry domain, repository path, and a tag and/or digest, as
 * Docker normalises what users type ({@code busybox} is {@code docker.io/library/busybox:latest}).
 * The tag is null only for a reference by digest alone.
 */
public record Reference(String domain, String path, String tag, Digest digest) {
  public static final String DEFAULT_DOMAIN = "docker.io";
  public static final String DEFAULT_TAG = "latest";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";

  public Reference {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(path, "path");
    if (tag == null && digest == null) {
      throw new IllegalArgumentException("a reference needs a tag or a digest: " + domain + "/" + path);
    }
    String name = domain + "/" + path;
    if (!ReferenceGrammar.DOMAIN_AND_PATH.matcher(name).matches()) {
      throw new ImageException("invalid reference format: \"" + name + "\"");
    }
    if (tag != null && !ReferenceGrammar.TAG_ONLY.matcher(tag).matches()) {
      throw new ImageException("invalid tag format: \"" + tag + "\"");
    }
  }

  /**
   * Parses what a user typed, normalising it as Docker does: a first component that contains
   * '.' or ':', is {@code localhost}, or has uppercase letters is a registry; otherwise the
   * registry is docker.io, and a single-component name there is under {@code library/}. A name
   * with neither tag nor digest gets {@code :latest}.
   */
  public static Reference parse(String text) {
    Objects.requireNonNull(text, "reference");
    if (text.isEmpty()) {
      throw new ImageException("invalid reference format: repository name must have at least one component");
    }
    if (ReferenceGrammar.IDENTIFIER.matcher(text).matches()) {
      throw new ImageException("invalid repository name (" + text
          + "), cannot specify 64-byte hexadecimal strings");
    }
    String[] split = splitDomain(text);
    String domain = split[0];
    String remainder = split[1];
    int tagColon = remainder.indexOf(':');
    int at = remainder.indexOf('@');
    int nameEnd = tagColon >= 0 ? tagColon : at >= 0 ? at : remainder.length();
    String remoteName = remainder.substring(0, nameEnd);
    if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
      throw new ImageException("invalid reference format: repository name (" + remoteName
          + ") must be lowercase");
    }
    Matcher m = ReferenceGrammar.REFERENCE.matcher(domain + "/" + remainder);
    if (!m.matches()) {
      throw new ImageException("invalid reference format: " + whyInvalid(text));
    }
    String name = m.group(1);
    if (name.length() > ReferenceGrammar.NAME_MAX) {
      throw new ImageException("invalid reference format: repository name must not be more than "
          + ReferenceGrammar.NAME_MAX + " characters: " + text);
    }
    Digest digest = null;
    if (m.group(3) != null) {
      try {
        digest = Digest.parse(m.group(3));
      } catch (ImageException e) {
        throw new ImageException("invalid reference format: " + text + ": " + e.getMessage());
      }
    }
    String tag = m.group(2);
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new Reference(domain, name.substring(domain.length() + 1), tag, digest);
  }

  /** True when {@code text} parses; for callers that try a reference before something else. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (ImageException e) {
      return false;
    }
  }

  private static String[] splitDomain(String text) {
    int slash = text.indexOf('/');
    String domain;
    String remainder;
    if (slash < 0 || !looksLikeDomain(text.substring(0, slash))) {
      domain = DEFAULT_DOMAIN;
      remainder = text;
    } else {
      domain = text.substring(0, slash);
      remainder = text.substring(slash + 1);
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_PREFIX + remainder;
    }
    return new String[] {domain, remainder};
  }

  private static boolean looksLikeDomain(String first) {
    return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  /** A short reason for a reference that does not match the grammar. */
  private static String whyInvalid(String text) {
    int at = text.indexOf('@');
    String beforeDigest = at >= 0 ? text.substring(0, at) : text;
    int lastSlash = beforeDigest.lastIndexOf('/');
    int colon = beforeDigest.indexOf(':', lastSlash + 1);
    if (colon >= 0 && !ReferenceGrammar.TAG_ONLY.matcher(beforeDigest.substring(colon + 1)).matches()) {
      return "invalid tag \"" + beforeDigest.substring(colon + 1) + "\" in \"" + text + "\"";
    }
    if (at >= 0 && !Digest.isDigest(text.substring(at + 1))) {
      return "invalid digest \"" + text.substring(at + 1) + "\" in \"" + text + "\"";
    }
    return "\"" + text + "\"";
  }

  /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
  public String name() {
    return domain + "/" + path;
  }

  /** The name as Docker shows it: without {@code docker.io/} and {@code library/}. */
  public String familiarName() {
    if (!domain.equals(DEFAULT_DOMAIN)) {
      return name();
    }
    if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
      return path.substring(OFFICIAL_PREFIX.length());
    }
    return path;
  }

  /** The reference as Docker shows it, e.g. {@code busybox:latest} or {@code user/repo@sha256:..}. */
  public String familiar() {
    return familiarName() + suffix();
  }

  public Reference withTag(String newTag) {
    return new Reference(domain, path, Objects.requireNonNull(newTag, "tag"), null);
  }

  public Reference withDigest(Digest newDigest) {
    return new Reference(domain, path, null, Objects.requireNonNull(newDigest, "digest"));
  }

  public boolean isTagged() {
    return tag != null;
  }

  public boolean isDigested() {
    return digest != null;
  }

  private String suffix() {
    return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  /** The fully qualified form, e.g. {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return name() + suffix();
  }
}
