package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Gitea's "create a commit status" ({@code repoCreateStatus}): {@code POST {api}/repos/{owner}/{repo}/statuses/{sha}}
 * with a {@code CreateStatusOption} {@code {state, description, context, target_url}}, state one of
 * pending, success, error, failure, warning. Authenticates with {@code Authorization: token TOKEN}; the
 * token needs the {@code write:repository} scope. Forgejo serves the same API.
 */
public final class GiteaStatusReporter extends HttpStatusReporter {

  public GiteaStatusReporter(String token) {
    this(token, Optional.empty());
  }

  public GiteaStatusReporter(String token, Optional<URI> apiBaseOverride) {
    this(token, apiBaseOverride, defaultHttpClient(), DEFAULT_REQUEST_TIMEOUT);
  }

  public GiteaStatusReporter(String token, Optional<URI> apiBaseOverride, HttpClient http, Duration requestTimeout) {
    super(Forge.GITEA, token, apiBaseOverride, http, requestTimeout);
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
    body.put("description", status.description(Forge.GITEA.maxDescriptionLength()));
    body.put("context", status.context());
    status.targetUrl().ifPresent(url -> body.put("target_url", url));
    return body;
  }
}
