package dev.profileops.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.cli.TestTls;
import dev.profileops.cli.tls.ServerTls;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint over real TLS, with the API server's TokenReview and SubjectAccessReview answered
 * by the mock server (expectations mode: CRUD mode cannot answer reviews): who the token is and what
 * RBAC grants are the mock's answers, what the endpoint makes of them is under test.
 */
@EnableKubernetesMockClient
class MetricsServerTest {
  private static final String SCRAPE = "# TYPE profileops_sync_errors_total counter\nprofileops_sync_errors_total 0.0\n";
  /** Tokens the mock API server knows, and the user each belongs to. */
  private static final Map<String, String> USERS = Map.of(
      "prometheus-token", "system:serviceaccount:monitoring:prometheus",
      "nosy-token", "system:serviceaccount:default:nosy");

  KubernetesMockServer server;
  KubernetesClient client;
  private final List<SubjectAccessReview> reviews = new CopyOnWriteArrayList<>();
  private MetricsServer metrics;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
      TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
      String user = USERS.get(review.getSpec().getToken());
      return new TokenReviewBuilder(review).withNewStatus().withAuthenticated(user != null)
          .withNewUser().withUsername(user).withGroups("system:serviceaccounts").endUser()
          .withError(user == null ? "token unknown" : null).endStatus().build();
    }).always();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request -> {
      SubjectAccessReview review = Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
      reviews.add(review);
      // RBAC as a ClusterRoleBinding of profileops-metrics-client to Prometheus would grant it.
      boolean allowed = "system:serviceaccount:monitoring:prometheus".equals(review.getSpec().getUser())
          && review.getSpec().getNonResourceAttributes() != null
          && "/metrics".equals(review.getSpec().getNonResourceAttributes().getPath())
          && "get".equals(review.getSpec().getNonResourceAttributes().getVerb());
      return new SubjectAccessReviewBuilder(review).withNewStatus().withAllowed(allowed).endStatus().build();
    }).always();

    ServerTls tls = ServerTls.selfSigned(List.of("profileops-controller-metrics.profileops.svc", "localhost"));
    metrics = MetricsServer.secure(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls,
        new MetricsAccessReview(client, MetricsServer.PATH), () -> SCRAPE);
    http = HttpClient.newBuilder().sslContext(TestTls.trusting(tls.certificate())).build();
  }

  @AfterEach
  void stop() {
    metrics.close();
  }

  @Test
  void refusesARequestWithoutToken() throws Exception {
    HttpResponse<String> response = get(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(response.body()).doesNotContain("profileops_sync");
  }

  @Test
  void refusesATokenTheApiServerDoesNotKnow() throws Exception {
    HttpResponse<String> response = get("forged-token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("token unknown").doesNotContain("profileops_sync");
    assertThat(reviews).isEmpty();
  }

  @Test
  void refusesATokenWhoseUserLacksThePermission() throws Exception {
    HttpResponse<String> response = get("nosy-token");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("system:serviceaccount:default:nosy may not get /metrics").doesNotContain("profileops_sync");
  }

  @Test
  void servesAUserAllowedToGetMetricsAndAsksForExactlyThat() throws Exception {
    HttpResponse<String> response = get("prometheus-token");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(SCRAPE);
    assertThat(reviews).singleElement().satisfies(review -> {
      assertThat(review.getSpec().getUser()).isEqualTo("system:serviceaccount:monitoring:prometheus");
      assertThat(review.getSpec().getGroups()).containsExactly("system:serviceaccounts");
      assertThat(review.getSpec().getNonResourceAttributes().getPath()).isEqualTo("/metrics");
      assertThat(review.getSpec().getNonResourceAttributes().getVerb()).isEqualTo("get");
      assertThat(review.getSpec().getResourceAttributes()).isNull();
    });
  }

  @Test
  void insecureModeServesPlainHttpToAnyone() throws Exception {
    try (MetricsServer plain = MetricsServer.insecure(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> SCRAPE)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(SCRAPE);
    }
  }

  private HttpResponse<String> get(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + metrics.port() + "/metrics"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
