package org.jocker.build.shell;

import org.jocker.build.BuildException;

/**
 * A word could not be expanded: a quote or brace left open, a modifier Docker does not know, or
 * {@code ${NAME:?message}} of an unset variable. The message is Docker's; the caller adds where.
 */
public final class ExpansionException extends BuildException {
  public ExpansionException(String message) {
    super(message);
  }
}
