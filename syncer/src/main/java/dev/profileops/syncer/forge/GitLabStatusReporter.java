package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's "set commit pipeline status": {@code POST {api}/projects/{url-encoded full path}/statuses/{sha}}
 * with {@code {state, name, description, target_url}} as JSON, state one of pending, running, success,
 * failed, canceled, skipped; description and target URL at most 255 characters each. Authenticates with
 * {@code PRIVATE-TOKEN} (a personal, group or project access token with the {@code api} scope).
 *
 * <p>PENDING is posted as {@code pending}, FAILURE and ERROR both as {@code failed} (GitLab has no
 * error state). GitLab refuses to post the state a status already has with 400 "Cannot transition
 * status via :enqueue from :pending": the commit shows what was asked, so that counts as done. A 409
 * (another update of the same commit in progress) is tried again, as GitLab's documentation asks.
 */
public final class GitLabStatusReporter extends HttpStatusReporter {
  static final int MAX_TARGET_URL = 255;
  private static final Logger LOG = LoggerFactory.getLogger(GitLabStatusReporter.class);

  private final Duration retryDelay;

  public GitLabStatusReporter(String token) {
    this(token, Optional.empty());
  }

  public GitLabStatusReporter(String token, Optional<URI> apiBaseOverride) {
    this(token, apiBaseOverride, defaultHttpClient(), DEFAULT_REQUEST_TIMEOUT);
  }

  public GitLabStatusReporter(String token, Optional<URI> apiBaseOverride, HttpClient http, Duration requestTimeout) {
    this(token, apiBaseOverride, http, requestTimeout, Duration.ofSeconds(1));
  }

  GitLabStatusReporter(String token, Optional<URI> apiBaseOverride, HttpClient http, Duration requestTimeout,
      Duration retryDelay) {
    super(Forge.GITLAB, token, apiBaseOverride, http, requestTimeout);
    this.retryDelay = retryDelay;
  }

  /** GitLab's word for {@code state}. */
  public static String gitLabState(CommitStatus.State state) {
    switch (state) {
      case PENDING:
        return "pending";
      case SUCCESS:
        return "success";
      case FAILURE:
      case ERROR:
        return "failed";
      default:
        throw new IllegalStateException(state.name());
    }
  }

  @Override
  protected URI statusUri(String apiBase, ForgeRepository repo, String sha) {
    return URI.create(apiBase + "/projects/" + encodeSegment(repo.fullPath()) + "/statuses/" + encodeSegment(sha));
  }

  @Override
  protected ObjectNode body(CommitStatus status) {
    ObjectNode body = JSON.createObjectNode();
    body.put("state", gitLabState(status.state()));
    body.put("name", status.context());
    String description = status.description(Forge.GITLAB.maxDescriptionLength());
    if (!description.isEmpty()) {
      body.put("description", description);
    }
    status.targetUrl().ifPresent(url -> {
      if (url.length() <= MAX_TARGET_URL) {
        body.put("target_url", url);
      } else {
        LOG.warn("GitLab takes target URLs of at most {} characters; leaving out one of {}", MAX_TARGET_URL, url.length());
      }
    });
    return body;
  }

  @Override
  protected boolean alreadySet(int statusCode, String body) {
    return statusCode == 400 && body.contains("Cannot transition status");
  }

  @Override
  protected int retries(int statusCode) {
    return statusCode == 409 ? 2 : 0;
  }

  @Override
  protected Duration retryDelay() {
    return retryDelay;
  }
}
