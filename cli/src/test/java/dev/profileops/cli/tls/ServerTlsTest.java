package dev.profileops.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir Path dir;

  @Test
  void aSelfSignedCertificateNamesTheServiceAndLastsAYear() throws Exception {
    ServerTls tls = ServerTls.selfSigned(List.of("profileops-controller-metrics.profileops.svc", "localhost"));

    assertThat(tls.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
        .containsExactly("profileops-controller-metrics.profileops.svc", "localhost");
    long days = (tls.certificate().getNotAfter().getTime() - tls.certificate().getNotBefore().getTime()) / 86_400_000L;
    assertThat(days).isBetween(365L, 366L);
  }

  @Test
  void readsACertManagerStylePemPair() throws Exception {
    // A pair as cert-manager writes it (tls.crt, tls.key): here an RSA key in PKCS#1 PEM.
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    ServerTls made = ServerTls.selfSigned(List.of("localhost"));
    Path crt = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    write(crt, made.certificate());
    PrivateKey rsa = generator.generateKeyPair().getPrivate();
    write(key, rsa);

    // The key does not match the certificate, which the JDK only finds out at the handshake; what this
    // checks is that both PEM files are read.
    ServerTls loaded = ServerTls.fromPem(crt, key);

    assertThat(loaded.certificate()).isEqualTo(made.certificate());
    assertThat(loaded.context().getProtocol()).isEqualTo("TLS");
  }

  @Test
  void namesTheFileThatHoldsNoCertificate() throws IOException {
    Path empty = Files.writeString(dir.resolve("tls.crt"), "not a certificate\n");

    assertThatThrownBy(() -> ServerTls.fromPem(empty, empty)).hasMessageContaining(empty + ": no PEM certificate");
  }

  private static void write(Path file, Object pem) throws IOException {
    try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(pem);
    }
  }
}
