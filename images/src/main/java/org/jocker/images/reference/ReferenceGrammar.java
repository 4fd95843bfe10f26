package org.jocker.images.reference;

import java.util.regex.Pattern;

/** The grammar of distribution's reference package, which Docker uses for image names. */
final class ReferenceGrammar {
  private ReferenceGrammar() {}

  static final String ALPHANUMERIC = "[a-z0-9]+";
  // One period, one or two underscores, or any number of dashes.
  static final String SEPARATOR = "(?:[._]|__|[-]+)";
  static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
  static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
  static final String DOMAIN = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?";
  static final String TAG = "[\\w][\\w.-]{0,127}";
  static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
  static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  static final String NAME = "(?:" + DOMAIN + "/)?" + PATH;

  static final Pattern REFERENCE =
      Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
  static final Pattern DOMAIN_AND_PATH = Pattern.compile("^(?:(" + DOMAIN + ")/)?(" + PATH + ")$");
  static final Pattern TAG_ONLY = Pattern.compile("^" + TAG + "$");
  static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");

  /** Names longer than this are refused, as registries do. */
  static final int NAME_MAX = 255;
}
