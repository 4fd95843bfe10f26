package org.jocker.cli.format;

import java.util.List;

/**
 * {@code [$x :=] command | command | ...}: each command's value becomes the last argument of the
 * next. {@code assigns} tells "$x = ..." (set an existing variable) from "$x := ..." (declare).
 */
record Pipeline(List<String> variables, boolean assigns, List<Command> commands, Span span) {}
