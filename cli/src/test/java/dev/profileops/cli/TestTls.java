package dev.profileops.cli;

import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS of the tests' HTTPS clients: trusting exactly some certificates, and what a server presented. */
public final class TestTls {
  private TestTls() {}

  /** Trusts exactly these certificates (an endpoint's own, or a CA bundle), with the host name checked against their names. */
  public static SSLContext trusting(List<X509Certificate> certificates) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < certificates.size(); i++) {
      trust.setCertificateEntry("trusted" + i, certificates.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  public static SSLContext trusting(X509Certificate certificate) throws Exception {
    return trusting(List.of(certificate));
  }

  /** The certificate the server presented for this response. */
  public static X509Certificate served(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }
}
