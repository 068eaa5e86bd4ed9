package dev.profileops.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.cli.TestCrds;
import dev.profileops.cli.TestTls;
import dev.profileops.cli.admission.SelfManagedWebhookCertificate.Action;
import dev.profileops.cli.admission.SelfManagedWebhookCertificate.Outcome;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate the controller makes and rotates itself, against the mock API server: the Secret
 * and the caBundle are written, a certificate in its last third is renewed and served by the running
 * webhook, and replicas take what the Secret holds instead of each making their own.
 */
@EnableKubernetesMockClient(crud = true)
class SelfManagedWebhookCertificateTest {
  static final String NAMESPACE = "profileops";
  static final String SECRET = "profileops-binding-webhook-cert";
  static final String CONFIGURATION = "profileops-binding";
  static final String RECORDING_CONFIGURATION = "profileops-recording";
  static final List<String> CONFIGURATIONS = List.of(CONFIGURATION, RECORDING_CONFIGURATION);
  static final List<String> NAMES = List.of("localhost");
  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path replicaA;
  @TempDir Path replicaB;

  @BeforeEach
  void webhookConfigurations() {
    client.resource(Serialization.unmarshal("""
        {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration", "metadata": {"name": "profileops-binding"},
         "webhooks": [{"name": "binding.profileops.dev", "admissionReviewVersions": ["v1"], "sideEffects": "None",
           "clientConfig": {"service": {"name": "profileops-binding-webhook", "namespace": "profileops", "path": "/mutate-v1-pod"}}}]}""",
        MutatingWebhookConfiguration.class)).create();
    client.resource(Serialization.unmarshal("""
        {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration", "metadata": {"name": "profileops-recording"},
         "webhooks": [{"name": "recording.profileops.dev", "admissionReviewVersions": ["v1"], "sideEffects": "None",
           "clientConfig": {"service": {"name": "profileops-binding-webhook", "namespace": "profileops", "path": "/mutate-v1-pod-recording"}}}]}""",
        MutatingWebhookConfiguration.class)).create();
  }

  @Test
  void issuesACaAndAServingCertificateIntoTheSecretTheCaBundleAndTheServedFiles() throws Exception {
    Outcome outcome = certificates(replicaA, Clock.systemUTC()).ensure();

    assertThat(outcome.action()).isEqualTo(Action.ISSUED);
    outcome.serving().verify(outcome.ca().getPublicKey());
    assertThat(outcome.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(outcome.serving().getBasicConstraints()).isEqualTo(-1);
    assertThat(outcome.serving().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))).containsExactly("localhost");
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SECRET).get();
    assertThat(secret.getData()).containsKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
    assertThat(certificates(secret.getData().get("tls.crt"))).containsExactly(outcome.serving());
    assertThat(caBundle()).containsExactly(outcome.ca());
    assertThat(caBundle(RECORDING_CONFIGURATION)).as("the recording webhook is served by the same server").containsExactly(outcome.ca());
    assertThat(certificates(Base64.getEncoder().encodeToString(Files.readAllBytes(replicaA.resolve("tls.crt"))))).containsExactly(outcome.serving());
  }

  @Test
  void aSecondReplicaReusesTheValidCertificateInsteadOfMakingItsOwn() throws Exception {
    Outcome first = certificates(replicaA, Clock.systemUTC()).ensure();
    String version = client.secrets().inNamespace(NAMESPACE).withName(SECRET).get().getMetadata().getResourceVersion();

    Outcome second = certificates(replicaB, Clock.systemUTC()).ensure();
    Outcome again = certificates(replicaA, Clock.systemUTC()).ensure();

    assertThat(second.action()).isEqualTo(Action.REUSED);
    assertThat(again.action()).isEqualTo(Action.REUSED);
    assertThat(second.serving()).isEqualTo(first.serving());
    assertThat(client.secrets().inNamespace(NAMESPACE).withName(SECRET).get().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(Files.readString(replicaB.resolve("tls.crt"))).isEqualTo(Files.readString(replicaA.resolve("tls.crt")));
    assertThat(Files.readString(replicaB.resolve("tls.key"))).isEqualTo(Files.readString(replicaA.resolve("tls.key")));
  }

  @Test
  void aCertificateInItsLastThirdIsRenewedOnceAndTheOtherReplicaTakesTheRenewal() throws Exception {
    // Issued 70 of 90 days ago: 20 days left, less than a third.
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(70)), ZoneOffset.UTC);
    Outcome old = certificates(replicaA, past).ensure();
    certificates(replicaB, past).ensure();

    Outcome renewed = certificates(replicaA, Clock.systemUTC()).ensure();
    Outcome taken = certificates(replicaB, Clock.systemUTC()).ensure();

    assertThat(renewed.action()).isEqualTo(Action.RENEWED);
    assertThat(renewed.serving()).isNotEqualTo(old.serving());
    assertThat(renewed.serving().getNotAfter()).isAfter(old.serving().getNotAfter());
    assertThat(taken.action()).isEqualTo(Action.REUSED);
    assertThat(taken.serving()).isEqualTo(renewed.serving());
  }

  @Test
  void twoReplicasRenewingAtOnceEndWithOneCertificate() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(70)), ZoneOffset.UTC);
    certificates(replicaA, past).ensure();
    Secret stale = client.secrets().inNamespace(NAMESPACE).withName(SECRET).get();
    Outcome winner = certificates(replicaA, Clock.systemUTC()).ensure();
    // Replica B read the Secret before A's renewal was written: its update carries the old resourceVersion.
    server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets/" + SECRET).andReturn(200, stale).once();

    Outcome loser = certificates(replicaB, Clock.systemUTC()).ensure();

    assertThat(winner.action()).isEqualTo(Action.RENEWED);
    assertThat(loser.action()).as("the update with the stale version was refused; B took A's").isEqualTo(Action.REUSED);
    assertThat(loser.serving()).isEqualTo(winner.serving());
    assertThat(certificates(client.secrets().inNamespace(NAMESPACE).withName(SECRET).get().getData().get("tls.crt")))
        .containsExactly(winner.serving());
    assertThat(Files.readString(replicaB.resolve("tls.crt"))).isEqualTo(Files.readString(replicaA.resolve("tls.crt")));
  }

  @Test
  void aCaInItsLastThirdIsReplacedAndTheBundleKeepsTheOldOneWhileItIsValid() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(70)), ZoneOffset.UTC);
    Outcome old = new SelfManagedWebhookCertificate(client, NAMESPACE, SECRET, CONFIGURATIONS, NAMES, replicaA, past,
        Duration.ofDays(90), Duration.ofDays(90)).ensure();

    Outcome renewed = new SelfManagedWebhookCertificate(client, NAMESPACE, SECRET, CONFIGURATIONS, NAMES, replicaA, Clock.systemUTC(),
        Duration.ofDays(90), Duration.ofDays(90)).ensure();

    assertThat(renewed.ca()).isNotEqualTo(old.ca());
    renewed.serving().verify(renewed.ca().getPublicKey());
    assertThat(caBundle()).containsExactly(renewed.ca(), old.ca());
    assertThat(caBundle(RECORDING_CONFIGURATION)).containsExactly(renewed.ca(), old.ca());
  }

  @Test
  void theRunningWebhookServesTheRenewedCertificateWithoutRestart() throws Exception {
    TestCrds.createIn(client);
    client.resource(Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile", "metadata": {"name": "web-server"},
         "spec": {"defaultAction": "SCMP_ACT_LOG"}}""", SeccompProfile.class)).create();
    client.resource(ProfileBindingWebhookTest.binding("web", "SeccompProfile", "web-server", "*", null)).create();
    SelfManagedWebhookCertificate nearlyExpired = certificates(replicaA, Clock.fixed(Instant.now().minus(Duration.ofDays(70)), ZoneOffset.UTC));
    Outcome old = nearlyExpired.ensure();

    try (AdmissionWebhookServer webhook = AdmissionWebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        nearlyExpired.certificateFile(), nearlyExpired.keyFile(), List.of(ProfileBindingWebhook.of(client)))) {
      HttpResponse<String> before = post(webhook, caBundle());
      Outcome renewed = certificates(replicaA, Clock.systemUTC()).ensure();
      HttpResponse<String> after = post(webhook, caBundle());

      assertThat(TestTls.served(before)).isEqualTo(old.serving());
      assertThat(renewed.action()).isEqualTo(Action.RENEWED);
      assertThat(TestTls.served(after)).isEqualTo(renewed.serving());
      AdmissionReview review = Serialization.unmarshal(after.body(), AdmissionReview.class);
      assertThat(review.getResponse().getPatch()).isNotNull();
    }
  }

  @Test
  void anEmptyOrUnreadableSecretGetsACertificate() throws Exception {
    // The manifests ship the Secret empty, so the controller needs only update on it, by name.
    client.secrets().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName(SECRET).withNamespace(NAMESPACE).endMetadata().withData(Map.of("tls.crt", "bm90IGEgY2VydGlmaWNhdGU=")).build()).create();

    Outcome outcome = certificates(replicaA, Clock.systemUTC()).ensure();

    assertThat(outcome.action()).isEqualTo(Action.ISSUED);
    assertThat(certificates(client.secrets().inNamespace(NAMESPACE).withName(SECRET).get().getData().get("tls.crt")))
        .containsExactly(outcome.serving());
  }

  private SelfManagedWebhookCertificate certificates(Path directory, Clock clock) {
    return new SelfManagedWebhookCertificate(client, NAMESPACE, SECRET, CONFIGURATIONS, NAMES, directory, clock,
        SelfManagedWebhookCertificate.DEFAULT_CA_VALIDITY, Duration.ofDays(90));
  }

  private List<X509Certificate> caBundle() throws Exception {
    return caBundle(CONFIGURATION);
  }

  private List<X509Certificate> caBundle(String name) throws Exception {
    MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
    return certificates(configuration.getWebhooks().get(0).getClientConfig().getCaBundle());
  }

  private static List<X509Certificate> certificates(String base64Pem) throws Exception {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)))
        .stream().map(X509Certificate.class::cast).toList();
  }

  /** A new client per call (a new handshake), trusting only the CAs of the bundle, as the API server does. */
  private static HttpResponse<String> post(AdmissionWebhookServer webhook, List<X509Certificate> bundle) throws Exception {
    String body = ProfileBindingWebhookTest.reviewJson("CREATE", ProfileBindingWebhookTest.pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}"));
    return HttpClient.newBuilder().sslContext(TestTls.trusting(bundle)).build().send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + webhook.port() + ProfileBindingWebhook.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
