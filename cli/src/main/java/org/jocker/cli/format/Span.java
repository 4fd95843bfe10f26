package org.jocker.cli.format;

/** Where a piece of the AST came from: its offset and source text, quoted in execution errors. */
record Span(int pos, String text) {}
