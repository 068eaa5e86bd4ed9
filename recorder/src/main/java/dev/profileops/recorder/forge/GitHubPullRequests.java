package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeHttp;
import dev.profileops.syncer.forge.ForgeRepository;
import java.net.URI;
import java.util.Optional;

/**
 * GitHub's pulls API (REST version 2022-11-28): {@code GET /repos/{owner}/{repo}/pulls?head=OWNER:BRANCH&state=open}
 * finds the open one, {@code PATCH /repos/{owner}/{repo}/pulls/{number}} with {@code {title, body}} updates
 * it, {@code POST /repos/{owner}/{repo}/pulls} with {@code {title, head, base, body}} opens one. A
 * fine-grained token needs "Pull requests: write" (and "Contents: write" for the branch push).
 */
public final class GitHubPullRequests extends HttpPullRequestClient {

  public GitHubPullRequests(ForgeHttp http, Optional<URI> apiBaseOverride) {
    super(http, apiBaseOverride);
  }

  @Override
  Optional<JsonNode> findOpen(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    URI uri = URI.create(pulls(apiBase, repo) + "?head=" + segment(repo.ownerPath() + ":" + pr.headBranch()) + "&state=open");
    JsonNode list = http.exchange("GET", uri, null, "the open pull requests of " + pr.headBranch());
    return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
  }

  @Override
  JsonNode create(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("title", pr.title()).put("head", pr.headBranch()).put("base", pr.baseBranch())
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
