package org.jocker.images.registry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jocker.images.registry.RegistryException;

/**
 * The TLS context for one registry, as Docker builds it from {@code certs.d/<host[:port]>/}:
 * the system's CAs plus every {@code *.crt} there, the client certificate {@code NAME.cert} with
 * its key {@code NAME.key}; for an insecure registry, no verification of the server at all.
 */
final class TlsContexts {
  private final Path certsDir;

  TlsContexts(Path certsDir) {
    this.certsDir = certsDir;
  }

  SSLContext forRegistry(String registry, boolean insecure) {
    Path dir = certsDir.resolve(registry);
    List<Path> files = files(dir);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager[] trust = insecure ? new TrustManager[] {new TrustingEveryServer()} : trust(files);
      context.init(keys(dir, files), trust, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new RegistryException("cannot set up TLS for " + registry + " from " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    } catch (IOException e) {
      throw new RegistryException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The system's CAs (the JDK's store) and the registry's own *.crt. */
  private static TrustManager[] trust(List<Path> files) throws GeneralSecurityException, IOException {
    List<Path> cas = files.stream().filter(f -> f.toString().endsWith(".crt")).toList();
    if (cas.isEmpty()) {
      return null; // the JDK's default trust: the system store
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (X509Certificate ca : systemCas()) {
      store.setCertificateEntry("system-" + n++, ca);
    }
    for (Path file : cas) {
      for (X509Certificate ca : Pem.certificates(file)) {
        store.setCertificateEntry("certs.d-" + n++, ca);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static List<X509Certificate> systemCas() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> cas = new ArrayList<>();
    for (TrustManager m : factory.getTrustManagers()) {
      if (m instanceof X509TrustManager x) {
        cas.addAll(List.of(x.getAcceptedIssuers()));
      }
    }
    return cas;
  }

  /** NAME.cert with NAME.key: the client's certificate, as Docker pairs them (one missing is an error). */
  private static KeyManager[] keys(Path dir, List<Path> files) throws GeneralSecurityException, IOException {
    KeyStore store = null;
    char[] password = new char[0];
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".cert")) {
        Path key = dir.resolve(name.substring(0, name.length() - ".cert".length()) + ".key");
        if (!Files.exists(key)) {
          throw new RegistryException("missing key " + key.getFileName() + " for client certificate " + name, null, 0);
        }
        if (store == null) {
          store = KeyStore.getInstance("PKCS12");
          store.load(null, null);
        }
        PrivateKey privateKey = Pem.privateKey(key);
        store.setKeyEntry(name, privateKey, password, Pem.certificates(file).toArray(X509Certificate[]::new));
      } else if (name.endsWith(".key")) {
        String cert = name.substring(0, name.length() - ".key".length()) + ".cert";
        if (!Files.exists(dir.resolve(cert))) {
          throw new RegistryException("missing client certificate " + cert + " for key " + name, null, 0);
        }
      }
    }
    if (store == null) {
      return null;
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }
}
