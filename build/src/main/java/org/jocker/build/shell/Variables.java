package org.jocker.build.shell;

import java.util.Map;

/** The variables a word is expanded against: a name's value, or null when it is unset. */
@FunctionalInterface
public interface Variables {
  Variables NONE = name -> null;

  String valueOf(String name);

  static Variables of(Map<String, String> values) {
    return values::get;
  }
}
