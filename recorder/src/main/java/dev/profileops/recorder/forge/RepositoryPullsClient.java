package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeHttp;
import dev.profileops.syncer.forge.ForgeRepository;
import java.net.URI;
import java.util.Optional;

/**
 * The pulls API GitHub has and Gitea (and Forgejo) copied: {@code POST .../repos/{owner}/{repo}/pulls}
 * with {@code {title, head, base, body}} opens one, {@code PATCH .../pulls/{number}} with
 * {@code {title, body}} updates it; both answer with {@code number} and {@code html_url}. They differ
 * in how the open one of a branch is found.
 */
abstract class RepositoryPullsClient extends HttpPullRequestClient {

  RepositoryPullsClient(ForgeHttp http, Optional<URI> apiBaseOverride) {
    super(http, apiBaseOverride);
  }

  @Override
  final JsonNode create(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("title", pr.title()).put("head", pr.headBranch()).put("base", pr.baseBranch())
        .put("body", pr.description());
    return http.exchange("POST", URI.create(pulls(apiBase, repo)), body, "a pull request from " + pr.headBranch());
  }

  @Override
  final JsonNode update(ForgeHttp http, String apiBase, ForgeRepository repo, JsonNode existing, PullRequest pr)
      throws ForgeException {
    ObjectNode body = object().put("title", pr.title()).put("body", pr.description());
    return http.exchange("PATCH", URI.create(pulls(apiBase, repo) + "/" + number(existing)), body,
        "the update of pull request " + number(existing));
  }

  @Override
  final String numberField() {
    return "number";
  }

  @Override
  final String webUrlField() {
    return "html_url";
  }

  static String pulls(String apiBase, ForgeRepository repo) {
    return apiBase + "/repos/" + segment(repo.ownerPath()) + "/" + segment(repo.name()) + "/pulls";
  }
}
