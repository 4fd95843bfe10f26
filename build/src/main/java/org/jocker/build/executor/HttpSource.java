package org.jocker.build.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jocker.build.BuildException;

/**
 * ADD's http and https sources, as BuildKit's http source fetches them: a GET (redirects followed),
 * any status outside 200-399 an error; the body saved as one file named after the URL path's last
 * element ({@code __unnamed__} when it has none), mode 0600, its mtime the response's Last-Modified
 * (the epoch without one), and its SHA-256 taken on the way. Downloads go straight to the server:
 * the engine's HTTP_PROXY and the JVM's proxy settings are not used.
 */
final class HttpSource {
  private static final Pattern GIT = Pattern.compile("^(git@|git://|ssh://)|^https?://[^#]+\\.git(#.*)?$");
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** A fetched source: the directory holding it, its file name there, its content digest. */
  record Fetched(Path directory, String name, String digest) {}

  private HttpSource() {}

  /** An http(s) URL that is not a Git repository's. */
  static boolean isHttp(String source) {
    return (source.startsWith("http://") || source.startsWith("https://")) && !isGit(source);
  }

  /** A Git repository's address, as BuildKit tells them from plain URLs. */
  static boolean isGit(String source) {
    return GIT.matcher(source).find();
  }

  /** The name the file gets: the URL path's last element, or {@code __unnamed__}. */
  static String fileName(String url) {
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      path = null;
    }
    if (path == null) {
      return "__unnamed__";
    }
    String base = InRootPaths.baseName(path.replaceAll("/+$", ""));
    return base.isEmpty() || base.equals(".") ? "__unnamed__" : base;
  }

  /** Whether {@code checksum} is a digest BuildKit's http source can check (sha256 only). */
  static String checkedDigest(String checksum) {
    if (!checksum.contains(":")) {
      throw new BuildException("invalid checksum digest format");
    }
    if (!checksum.startsWith("sha256:")) {
      throw new BuildException("unsupported digest algorithm");
    }
    if (!SHA256.matcher(checksum).matches()) {
      throw new BuildException("invalid checksum digest length");
    }
    return checksum;
  }

  /** Downloads {@code url} into {@code directory}; errors are BuildKit's ("invalid response status 404"). */
  static Fetched fetch(String url, Path directory) {
    String name = fileName(url);
    Path file = directory.resolve(name);
    HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT)
        .proxy(HttpClient.Builder.NO_PROXY)
        .build();
    try (client) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha = ContentDigests.sha256();
      try (InputStream body = response.body()) {
        if (response.statusCode() < 200 || response.statusCode() >= 400) {
          throw new BuildException("invalid response status " + response.statusCode());
        }
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), sha)) {
          body.transferTo(out);
        }
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      Files.setLastModifiedTime(file, lastModified(response.headers().firstValue("Last-Modified").orElse(null)));
      return new Fetched(directory, name, "sha256:" + HexFormat.of().formatHex(sha.digest()));
    } catch (IllegalArgumentException e) {
      throw new BuildException("invalid URL " + url + ": " + e.getMessage(), e);
    } catch (ConnectException e) {
      String reason = e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(Locale.ROOT);
      throw new BuildException("Get \"" + url + "\": connect: " + reason, e);
    } catch (IOException e) {
      throw new BuildException("Get \"" + url + "\": " + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while fetching " + url, e);
    }
  }

  /** An HTTP date (RFC 1123, as servers send it); the epoch when absent or unreadable, as BuildKit does. */
  static FileTime lastModified(String header) {
    if (header != null) {
      try {
        return FileTime.from(ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        // unreadable: as none
      }
    }
    return FileTime.fromMillis(0);
  }
}
