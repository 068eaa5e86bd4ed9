package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * GitHub's "create a commit status": {@code POST {api}/repos/{owner}/{repo}/statuses/{sha}} with
 * {@code {state, description, context, target_url}}, state one of pending, success, failure, error;
 * the description at most 140 characters. Authenticates with {@code Authorization: Bearer TOKEN} (a
 * fine-grained token needs "Commit statuses: write", a classic one {@code repo:status}).
 */
public final class GitHubStatusReporter extends HttpStatusReporter {
  public static final String API_VERSION = ForgeHttp.GITHUB_API_VERSION;

  public GitHubStatusReporter(String token) {
    this(token, Optional.empty());
  }

  public GitHubStatusReporter(String token, Optional<URI> apiBaseOverride) {
    this(token, apiBaseOverride, defaultHttpClient(), DEFAULT_REQUEST_TIMEOUT);
  }

  public GitHubStatusReporter(String token, Optional<URI> apiBaseOverride, HttpClient http, Duration requestTimeout) {
    super(Forge.GITHUB, token, apiBaseOverride, http, requestTimeout);
  }

  @Override
  protected URI statusUri(String apiBase, ForgeRepository repo, String sha) {
    return URI.create(apiBase + "/repos/" + encodeSegment(repo.ownerPath()) + "/" + encodeSegment(repo.name())
        + "/statuses/" + encodeSegment(sha));
  }

  @Override
  protected ObjectNode body(CommitStatus status) {
    ObjectNode body = JSON.createObjectNode();
    body.put("state", status.state().name().toLowerCase(Locale.ROOT));
    String description = status.description(Forge.GITHUB.maxDescriptionLength());
    if (!description.isEmpty()) {
      body.put("description", description);
    }
    body.put("context", status.context());
    status.targetUrl().ifPresent(url -> body.put("target_url", url));
    return body;
  }
}
