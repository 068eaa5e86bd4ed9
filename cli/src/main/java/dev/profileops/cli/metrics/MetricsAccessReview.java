package dev.profileops.cli.metrics;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Who may read the metrics, asked of the API server as kube-rbac-proxy does: a TokenReview says whose
 * bearer token it is, a SubjectAccessReview whether that user may {@code get} the non-resource URL
 * (granted by a ClusterRole like {@code profileops-metrics-client}). Fails closed: when the API
 * server cannot be asked, nobody is let in.
 */
public final class MetricsAccessReview {
  private static final String BEARER = "Bearer ";

  /** Whether to serve, with the HTTP status to answer otherwise and why. */
  public record Decision(boolean allowed, int httpStatus, String reason) {
    static Decision allow(String user) {
      return new Decision(true, 200, user);
    }

    static Decision deny(int status, String reason) {
      return new Decision(false, status, reason);
    }
  }

  private final KubernetesClient client;
  private final String path;

  public MetricsAccessReview(KubernetesClient client, String path) {
    this.client = client;
    this.path = path;
  }

  /** @param authorization the request's Authorization header, null when it has none */
  public Decision review(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || authorization.substring(BEARER.length()).isBlank()) {
      return Decision.deny(401, "a bearer token is required");
    }
    String token = authorization.substring(BEARER.length()).strip();
    try {
      TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
          .withNewSpec().withToken(token).endSpec().build());
      if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
        String error = review.getStatus() == null ? null : review.getStatus().getError();
        return Decision.deny(401, "the token is not valid" + (error == null || error.isBlank() ? "" : ": " + error));
      }
      UserInfo user = review.getStatus().getUser();
      SubjectAccessReview access = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
          .withNewSpec()
          .withUser(user.getUsername()).withUid(user.getUid()).withGroups(user.getGroups()).withExtra(user.getExtra())
          .withNewNonResourceAttributes().withPath(path).withVerb("get").endNonResourceAttributes()
          .endSpec().build());
      if (access.getStatus() == null || !Boolean.TRUE.equals(access.getStatus().getAllowed())) {
        return Decision.deny(403, user.getUsername() + " may not get " + path);
      }
      return Decision.allow(user.getUsername());
    } catch (KubernetesClientException e) {
      return Decision.deny(503, "the API server could not review the token: " + e.getMessage());
    }
  }
}
