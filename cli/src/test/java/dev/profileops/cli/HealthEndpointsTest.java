package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.nodedaemon.NodeDaemon;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes' endpoints over real HTTP, and the node daemon's readiness: its profiles installed. */
@EnableKubernetesMockClient(crud = true)
class HealthEndpointsTest {
  KubernetesClient client;
  @TempDir Path kubeletDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyzSaysWhyUntilReadyAndHealthzAnswersThroughout() throws Exception {
    AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("controller starting"));
    try (HealthEndpoints health = HealthEndpoints.start(loopback(), notReady::get)) {
      assertThat(get(health, "/healthz")).isEqualTo("200 ok");
      assertThat(get(health, "/readyz")).isEqualTo("503 not ready: controller starting");

      notReady.set(Optional.empty());

      assertThat(get(health, "/readyz")).isEqualTo("200 ok");
      assertThat(get(health, "/healthz")).isEqualTo("200 ok");
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(health, "/readyz"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void aFailingCheckMeansNotReadyNotAnError() throws Exception {
    try (HealthEndpoints health = HealthEndpoints.start(loopback(), () -> {
      throw new IllegalStateException("cache gone");
    })) {
      assertThat(get(health, "/readyz")).startsWith("503 not ready: readiness check failed").contains("cache gone");
    }
  }

  @Test
  void theNodeDaemonIsReadyOnceItsProfilesAreInstalled() throws Exception {
    TestCrds.createIn(client);
    client.resource(profile("web-server")).create();
    NodeDaemon daemon = new NodeDaemon(client, "worker-1", kubeletDir);
    try (HealthEndpoints health = HealthEndpoints.start(loopback(), NodeDaemonCommand.readiness(daemon))) {
      assertThat(get(health, "/readyz")).isEqualTo("503 not ready: profiles of this node not installed yet");

      daemon.installProfilesAtStart();

      assertThat(kubeletDir.resolve("seccomp/operator/web-server.json")).exists();
      assertThat(get(health, "/readyz")).isEqualTo("200 ok");
    } finally {
      daemon.close();
    }
  }

  private static SeccompProfile profile(String name) {
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_LOG);
    profile.setSpec(spec);
    return profile;
  }

  private String get(HealthEndpoints health, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(health, path)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }

  private static URI uri(HealthEndpoints health, String path) {
    return URI.create("http://127.0.0.1:" + health.port() + path);
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }
}
