package dev.profileops.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.cli.TestCrds;
import dev.profileops.cli.TestTls;
import dev.profileops.cli.tls.ServerTls;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both pod webhooks on the controller's one HTTPS server, against the mock API server holding the
 * CRDs, a profile, a binding and a recording: each path answers with its own mutation, and a path
 * under them is no webhook.
 */
@EnableKubernetesMockClient(crud = true)
class ProfileRecordingWebhookServerTest {
  private static final String POD = ProfileBindingWebhookTest.pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}");

  KubernetesClient client;
  @TempDir Path certs;

  @Test
  void servesTheRecordingAndTheBindingWebhookOnOneServer() throws Exception {
    TestCrds.createIn(client);
    client.resource(Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile", "metadata": {"name": "web-server"},
         "spec": {"defaultAction": "SCMP_ACT_LOG"}}""", SeccompProfile.class)).create();
    client.resource(ProfileBindingWebhookTest.binding("web", "SeccompProfile", "web-server", "*", null)).create();
    client.resource(ProfileRecordingWebhookTest.recording("web-recording", "SeccompProfile", "Logs", null, null)).create();
    ServerTls tls = ServerTls.selfSigned(List.of("localhost"));
    ProfileBindingWebhookServerTest.write(certs, tls, Instant.now());

    try (AdmissionWebhookServer server = AdmissionWebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        certs.resolve("tls.crt"), certs.resolve("tls.key"), List.of(ProfileBindingWebhook.of(client), ProfileRecordingWebhook.of(client)))) {
      HttpClient http = HttpClient.newBuilder().sslContext(TestTls.trusting(tls.certificate())).build();
      HttpResponse<String> recording = post(http, server, ProfileRecordingWebhook.PATH);
      HttpResponse<String> binding = post(http, server, ProfileBindingWebhook.PATH);
      HttpResponse<String> under = post(http, server, ProfileRecordingWebhook.PATH + "/more");

      assertThat(recording.statusCode()).isEqualTo(200);
      JsonNode recorded = ProfileBindingWebhookTest.applyPatch(Serialization.unmarshal(recording.body(), AdmissionReview.class), POD);
      assertThat(recorded.at("/metadata/annotations/io.containers.trace-logs~1nginx").asText()).matches("web-recording_nginx_[a-z0-9]{5}_\\d+");
      assertThat(recorded.at("/spec/containers/0/securityContext/seccompProfile/localhostProfile").asText())
          .isEqualTo("operator/profileops-log-recording.json");
      JsonNode bound = ProfileBindingWebhookTest.applyPatch(Serialization.unmarshal(binding.body(), AdmissionReview.class), POD);
      assertThat(bound.at("/spec/containers/0/securityContext/seccompProfile/localhostProfile").asText()).isEqualTo("operator/web-server.json");
      assertThat(bound.at("/metadata/annotations").isMissingNode()).isTrue();
      assertThat(under.statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> post(HttpClient http, AdmissionWebhookServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ProfileBindingWebhookTest.reviewJson("CREATE", POD)))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
