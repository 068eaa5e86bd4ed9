package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
public final class GiteaPullRequests extends HttpPullRequestClient {
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

  @Override
  JsonNode create(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("head", pr.headBranch()).put("base", pr.baseBranch()).put("title", pr.title())
        .put("body", pr.description());
    return http.exchange("POST", URI.create(pulls(apiBase, repo)), body, "a pull request from " + pr.headBranch());
  }

  @Override
  JsonNode update(ForgeHttp http, String apiBase, ForgeRepository repo, JsonNode existing, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("title", pr.title()).put("body", pr.description());
    return http.exchange("PATCH", URI.create(pulls(apiBase, repo) + "/" + number(existing)), body,
        "the update of pull request " + number(existing));
  }

  @Override
  String numberField() {
    return "number";
  }

  @Override
  String webUrlField() {
    return "html_url";
  }

  private static String pulls(String apiBase, ForgeRepository repo) {
    return apiBase + "/repos/" + segment(repo.ownerPath()) + "/" + segment(repo.name()) + "/pulls";
  }
}
