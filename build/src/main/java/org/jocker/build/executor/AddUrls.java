package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.build.BuildException;
import org.jocker.build.dockerfile.FileTransfer;
import org.jocker.build.dockerfile.SourceLines;

/**
 * The http(s) URLs among one ADD's sources, after the checks BuildKit's frontend makes (no URL or
 * Git source for COPY, no Git source yet, --checksum only for a single URL and only sha256). Each
 * is fetched ({@link HttpSource}) before the cache is asked, so that the step is reused while the
 * content's digest is the same; with --checksum the checksum is the key and the URL is fetched only
 * when the step runs, then checked. A fetched file is copied like any file (--chown, --chmod,
 * --exclude) and not extracted unless --unpack=true.
 */
final class AddUrls {
  private final BuildSession session;
  private final List<String> urls;
  private final Optional<String> checksum;
  private final String label;
  private final SourceLines lines;
  private final Map<String, HttpSource.Fetched> fetched = new HashMap<>();

  private AddUrls(BuildSession session, List<String> urls, Optional<String> checksum, String label, SourceLines lines) {
    this.session = session;
    this.urls = urls;
    this.checksum = checksum;
    this.label = label;
    this.lines = lines;
  }

  static AddUrls of(BuildSession session, FileTransfer transfer, boolean add, Optional<String> checksum, String label,
      SourceLines lines) {
    List<String> urls = new ArrayList<>();
    for (FileTransfer.Source source : transfer.sources()) {
      if (!(source instanceof FileTransfer.Source.Path(String p))) {
        continue;
      }
      if (HttpSource.isGit(p)) {
        throw new StepFailedException(add ? "ADD from a Git repository is not supported yet: " + p
            : "source can't be a git ref for COPY", label, lines);
      }
      if (HttpSource.isHttp(p)) {
        if (!add) {
          throw new StepFailedException("source can't be a URL for COPY", label, lines);
        }
        urls.add(p);
      }
    }
    if (checksum.isPresent()) {
      if (transfer.sources().size() != 1) {
        throw new StepFailedException("checksum can't be specified for multiple sources", label, lines);
      }
      if (urls.isEmpty()) {
        throw new StepFailedException("checksum requires HTTP(S) or Git sources", label, lines);
      }
      try {
        HttpSource.checkedDigest(checksum.get());
      } catch (BuildException e) {
        throw new StepFailedException(e.getMessage(), label, lines, e);
      }
    }
    return new AddUrls(session, urls, checksum, label, lines);
  }

  boolean contains(String source) {
    return urls.contains(source);
  }

  /** What the cache key takes of each URL: its content's digest (fetched now), or the --checksum. */
  List<String> keyParts() {
    List<String> parts = new ArrayList<>();
    for (String url : urls) {
      if (checksum.isPresent()) {
        parts.add("url " + url + " " + checksum.get());
      } else {
        parts.add("url " + url + " " + fetched(url).digest());
      }
    }
    return parts;
  }

  /** The file {@code url} gave (fetched now if the key did not need it), checked against --checksum. */
  HttpSource.Fetched fetched(String url) {
    HttpSource.Fetched f = fetched.get(url);
    if (f == null) {
      try {
        f = HttpSource.fetch(url, session.sandbox().scratchDirectory("url-" + session.keys().incrementAndGet()));
      } catch (BuildException e) {
        throw new StepFailedException("failed to load cache key: " + e.getMessage(), label, lines, e);
      }
      fetched.put(url, f);
    }
    if (checksum.isPresent() && !f.digest().equals(checksum.get())) {
      throw new StepFailedException("digest mismatch for " + url + ": " + f.digest() + " (expected: "
          + checksum.get() + ")", label, lines);
    }
    return f;
  }
}
