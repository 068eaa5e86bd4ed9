package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.cli.metrics.MetricsServer;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.PodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.FollowedFile;
import dev.profileops.testsupport.Prerequisites;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The node daemon's {@code /metrics}: what the log enricher counted in the daemon's registry is what a
 * scrape of the endpoint the daemon's options describe returns; TLS with a token review unless
 * {@code --insecure-metrics}, nothing with {@code --metrics-port 0}.
 */
@EnableKubernetesMockClient
class NodeDaemonMetricsTest {
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void aScrapeShowsTheSeccompAuditCounterOfAnEnrichedLine() throws Exception {
    SyscallTable table = SyscallTables.system();
    Prerequisites.require(table.available() ? Optional.empty() : Optional.of("libseccomp is missing: " + table.version()));
    NodeDaemonCommand daemon = parse("--node-name=node-a", "--insecure-metrics", "--metrics-port=" + freePort());
    Path log = dir.resolve("audit.log");
    Files.createFile(log);
    LogEnricher enricher = new LogEnricher(new FollowedFile(log, true),
        ProcessResolver.withDefaults(new ProcFsProcessTable(Files.createDirectories(dir.resolve("proc"))), PodDirectory.NONE),
        new SyscallNames(table), "node-a", new JsonLinesWriter(new ByteArrayOutputStream()),
        new EnricherMetrics(daemon.metrics, "node-a", 100), System::nanoTime, false, 10, Duration.ofSeconds(1));
    Files.writeString(log, "type=SECCOMP msg=audit(1700000000.123:1): pid=4242 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e"
        + " syscall=83 code=0x7ffc0000\n", StandardOpenOption.APPEND);
    enricher.pollOnce();

    try (MetricsServer server = daemon.startMetrics(client)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("security_profiles_operator_seccomp_profile_audit_total{container=\"\",namespace=\"\","
          + "node=\"node-a\",pod=\"\",syscall=\"mkdir\"} 1.0");
    }
  }

  @Test
  void servesTlsAndAsksForATokenByDefault() throws Exception {
    NodeDaemonCommand daemon = parse("--node-name=node-a", "--metrics-port=" + freePort());
    daemon.metrics.counter("security_profiles_operator_seccomp_profile_audit").increment();

    try (MetricsServer server = daemon.startMetrics(client)) {
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(trustingAnyone()).build().send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).doesNotContain("security_profiles_operator");
    }
  }

  @Test
  void metricsPortZeroServesNothing() throws Exception {
    assertThat(parse("--node-name=node-a", "--metrics-port=0").startMetrics(client)).isNull();
    assertThat(parse("--node-name=node-a").metricsPort).as("documented default").isEqualTo(9443);
  }

  private static NodeDaemonCommand parse(String... args) {
    NodeDaemonCommand command = new NodeDaemonCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The certificate is not what this test is about (MetricsServerTest checks it); the token check is. */
  private static SSLContext trustingAnyone() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return context;
  }
}
