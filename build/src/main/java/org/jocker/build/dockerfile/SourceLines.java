package org.jocker.build.dockerfile;

/** Where an instruction is: its first and last line (1-based, heredoc bodies included) and text. */
public record SourceLines(int start, int end, String text) {}
