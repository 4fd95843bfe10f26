package org.jocker.build.dockerfile;

import java.util.List;

/** One instruction's text: continuation lines joined, comments dropped, heredoc bodies read. */
record LogicalLine(int start, int end, String text, List<Heredoc> heredocs) {}
