package org.jocker.images.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Keys and certificates for registry tests, made by openssl in the test's directory: a CA, a
 * server certificate it signed for 127.0.0.1 (subjectAltName IP:127.0.0.1), and a self-signed
 * certificate for a token issuer's signing key, and a client certificate the CA signed
 * (extendedKeyUsage clientAuth, Docker's {@code client.cert}/{@code client.key}). Keys are PKCS#8 PEM.
 */
public record TestPki(Path caCertificate, Path caKey, Path serverCertificate, Path serverKey,
    Path tokenCertificate, Path tokenKey, Path clientCertificate, Path clientKey) {

  public static TestPki create(Path dir) throws IOException {
    Files.createDirectories(dir);
    TestPki pki = new TestPki(dir.resolve("ca.crt"), dir.resolve("ca.key"), dir.resolve("server.crt"),
        dir.resolve("server.key"), dir.resolve("token.crt"), dir.resolve("token.key"),
        dir.resolve("client.cert"), dir.resolve("client.key"));
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=jocker test CA",
        "-keyout", pki.caKey().toString(), "-out", pki.caCertificate().toString());
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", pki.serverKey().toString(), "-out", dir.resolve("server.csr").toString());
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(dir, "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-days", "2",
        "-CA", pki.caCertificate().toString(), "-CAkey", pki.caKey().toString(), "-CAcreateserial",
        "-extfile", dir.resolve("server.ext").toString(), "-out", pki.serverCertificate().toString());
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=jocker test token issuer",
        "-keyout", pki.tokenKey().toString(), "-out", pki.tokenCertificate().toString());
    // A client's certificate, for registries that demand one (mutual TLS); EC, as quicker to make.
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-subj", "/CN=jocker test client", "-keyout", pki.clientKey().toString(), "-out", dir.resolve("client.csr").toString());
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    openssl(dir, "x509", "-req", "-in", dir.resolve("client.csr").toString(), "-days", "2",
        "-CA", pki.caCertificate().toString(), "-CAkey", pki.caKey().toString(), "-CAcreateserial",
        "-extfile", dir.resolve("client.ext").toString(), "-out", pki.clientCertificate().toString());
    return pki;
  }

  public RegistryServer.Tls serverTls() {
    return new RegistryServer.Tls(serverCertificate, serverKey);
  }

  /** As {@link #serverTls}, demanding of each client a certificate the CA signed (docker-registry's clientcas). */
  public RegistryServer.Tls serverTlsDemandingClientCertificates() {
    return new RegistryServer.Tls(serverCertificate, serverKey, caCertificate);
  }

  private static void openssl(Path dir, String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
