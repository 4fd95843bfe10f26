package org.jocker.images.registry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocker.images.registry.RegistryException;

/** Certificates and a private key from PEM files, as certs.d holds them. */
final class Pem {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Pem() {}

  static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (IOException | GeneralSecurityException e) {
      throw new RegistryException("cannot read certificates of " + file + ": " + e.getMessage(), e);
    }
  }

  /** A PKCS#8 key ("BEGIN PRIVATE KEY", what {@code openssl genpkey} writes): RSA, EC or Ed25519. */
  static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new RegistryException("cannot read key " + file + ": " + e.getMessage(), e);
    }
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      throw new RegistryException("key " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY)", null, 0);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisOne) {
        // the next algorithm
      }
    }
    throw new RegistryException("key " + file + " is neither RSA, EC nor Ed25519", null, 0);
  }
}
