package dev.profileops.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.cli.TestCrds;
import dev.profileops.cli.TestTls;
import dev.profileops.cli.tls.ServerTls;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook over HTTPS against the mock API server holding the CRDs, a profile and a binding: the
 * API server's view of it. And a certificate renewed in place is the one the next connection gets.
 */
@EnableKubernetesMockClient(crud = true)
class ProfileBindingWebhookServerTest {
  KubernetesClient client;
  @TempDir Path certs;

  @Test
  void mutatesAPodOverTlsAndServesARenewedCertificateWithoutRestart() throws Exception {
    TestCrds.createIn(client);
    client.resource(Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile", "metadata": {"name": "web-server"},
         "spec": {"defaultAction": "SCMP_ACT_LOG"}}""", SeccompProfile.class)).create();
    client.resource(ProfileBindingWebhookTest.binding("web", "SeccompProfile", "web-server", "*", null)).create();
    ServerTls first = ServerTls.selfSigned(List.of("localhost"));
    write(certs, first, Instant.now().minusSeconds(60));

    try (AdmissionWebhookServer webhook = AdmissionWebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        certs.resolve("tls.crt"), certs.resolve("tls.key"), List.of(ProfileBindingWebhook.of(client)))) {
      HttpResponse<String> response = post(webhook, first);

      assertThat(response.statusCode()).isEqualTo(200);
      AdmissionReview review = Serialization.unmarshal(response.body(), AdmissionReview.class);
      assertThat(review.getResponse().getAllowed()).isTrue();
      assertThat(ProfileBindingWebhookTest.applyPatch(review, ProfileBindingWebhookTest.pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}"))
          .at("/spec/containers/0/securityContext/seccompProfile/localhostProfile").asText()).isEqualTo("operator/web-server.json");
      assertThat(TestTls.served(response)).isEqualTo(first.certificate());

      ServerTls renewed = ServerTls.selfSigned(List.of("localhost"));
      write(certs, renewed, Instant.now());

      assertThat(TestTls.served(post(webhook, renewed))).isEqualTo(renewed.certificate());
    }
  }

  private HttpResponse<String> post(AdmissionWebhookServer webhook, ServerTls trusted) throws Exception {
    // A new client per call: a new TLS connection, so the handshake shows the certificate served now.
    HttpClient http = HttpClient.newBuilder().sslContext(TestTls.trusting(trusted.certificate())).build();
    String body = ProfileBindingWebhookTest.reviewJson("CREATE", ProfileBindingWebhookTest.pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}"));
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + webhook.port() + ProfileBindingWebhook.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void write(Path certs, ServerTls tls, Instant modified) throws Exception {
    // As cert-manager writes them with encoding: PKCS8: the certificate, and the key as "PRIVATE KEY".
    for (var entry : List.of(java.util.Map.entry("tls.crt", (Object) tls.certificate()),
        java.util.Map.entry("tls.key", (Object) new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(tls.privateKey(), null)))) {
      Path file = certs.resolve(entry.getKey());
      try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(entry.getValue());
      }
      Files.setLastModifiedTime(file, FileTime.from(modified));
    }
  }
}
