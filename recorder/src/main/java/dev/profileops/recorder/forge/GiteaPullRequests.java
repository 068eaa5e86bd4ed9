package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeHttp;
import dev.profileops.syncer.forge.ForgeRepository;
import java.net.URI;
import java.util.Optional;

/**
 * Gitea's (and Forgejo's) pulls API under {@code /api/v1}: {@code GET /repos/{owner}/{repo}/pulls?state=open}
 * (paged; the one whose {@code head.ref} is the branch), {@code PATCH /repos/{owner}/{repo}/pulls/{index}}
 * with {@code {title, body}}, {@code POST /repos/{owner}/{repo}/pulls} with {@code {head, base, title, body}}.
 * The token needs the {@code write:repository} scope.
 */
public final class GiteaPullRequests extends RepositoryPullsClient {
  static final int PAGE_SIZE = 50;
  static final int MAX_PAGES = 20;

  public GiteaPullRequests(ForgeHttp http, Optional<URI> apiBaseOverride) {
    super(http, apiBaseOverride);
  }

  @Override
  Optional<JsonNode> findOpen(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    for (int page = 1; page <= MAX_PAGES; page++) {
      URI uri = URI.create(pulls(apiBase, repo) + "?state=open&limit=" + PAGE_SIZE + "&page=" + page);
      JsonNode list = http.exchange("GET", uri, null, "the open pull requests of " + repo.fullPath());
      if (!list.isArray() || list.isEmpty()) {
        return Optional.empty();
      }
      for (JsonNode candidate : list) {
        if (pr.headBranch().equals(candidate.path("head").path("ref").asText())
            && pr.baseBranch().equals(candidate.path("base").path("ref").asText(pr.baseBranch()))) {
          return Optional.of(candidate);
        }
      }
      if (list.size() < PAGE_SIZE) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
