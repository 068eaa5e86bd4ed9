package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.cli.profiling.JfrProfiling;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spod's enableProfiling in the mock API server starts and stops a JFR recording in the running
 * process, and the health port serves it as a JFR file that the JDK's own reader opens.
 */
@EnableKubernetesMockClient(crud = true)
class ProfilingEndpointTest {
  KubernetesClient client;
  @TempDir Path downloads;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void enableProfilingStartsARecordingServedOnTheHealthPortAndStopsItWhenOff() throws Exception {
    try (JfrProfiling profiling = new JfrProfiling("test");
        DaemonConfigWatch watch = DaemonConfigWatch.start(client, "profileops", List.of(spec -> profiling.apply(spec.getEnableProfiling())));
        HealthEndpoints health = HealthEndpoints.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional::empty, profiling)) {
      HttpResponse<String> off = http.send(request(health), HttpResponse.BodyHandlers.ofString());
      assertThat(off.statusCode()).isEqualTo(404);
      assertThat(off.body()).contains("enableProfiling");

      client.resource(spod(true)).create();
      await().until(profiling::enabled);
      Path jfr = downloads.resolve("profile.jfr");
      HttpResponse<Path> on = http.send(request(health), HttpResponse.BodyHandlers.ofFile(jfr));

      assertThat(on.statusCode()).isEqualTo(200);
      Set<String> types = new HashSet<>();
      RecordingFile.readAllEvents(jfr).forEach(e -> types.add(e.getEventType().getName()));
      assertThat(types).isNotEmpty().doesNotContain("jdk.InitialEnvironmentVariable", "jdk.InitialSystemProperty");
      assertThat(Files.size(jfr)).isPositive();

      client.resource(spod(false)).update();
      await().until(() -> !profiling.enabled());
      assertThat(http.send(request(health), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }

  private static HttpRequest request(HealthEndpoints health) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/debug/jfr")).build();
  }

  private static SecurityProfilesOperatorDaemon spod(boolean profiling) {
    SecurityProfilesOperatorDaemon spod = new SecurityProfilesOperatorDaemon();
    spod.setMetadata(new ObjectMetaBuilder().withName("spod").withNamespace("profileops").build());
    spod.setSpec(new DaemonSpec());
    spod.getSpec().setEnableProfiling(profiling);
    return spod;
  }
}
