package org.jocker.build.dockerfile;

/**
 * A here-document: {@code <<NAME} (or {@code <<-NAME}, leading tabs stripped) and the lines up to
 * NAME, each ending in a newline. A delimiter with any quote in it ({@code <<"EOF"}) turns
 * expansion off.
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {}
