package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeHttp;
import dev.profileops.syncer.forge.ForgeRepository;
import java.net.URI;
import java.util.Optional;

/**
 * GitLab's merge requests API under {@code /api/v4}, the project addressed by its URL-encoded full path:
 * {@code GET /projects/{id}/merge_requests?source_branch=B&target_branch=T&state=opened},
 * {@code PUT /projects/{id}/merge_requests/{iid}} with {@code {title, description}},
 * {@code POST /projects/{id}/merge_requests} with {@code {source_branch, target_branch, title, description}}.
 * The token needs the {@code api} scope.
 */
public final class GitLabMergeRequests extends HttpPullRequestClient {

  public GitLabMergeRequests(ForgeHttp http, Optional<URI> apiBaseOverride) {
    super(http, apiBaseOverride);
  }

  @Override
  Optional<JsonNode> findOpen(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    URI uri = URI.create(mergeRequests(apiBase, repo) + "?source_branch=" + segment(pr.headBranch())
        + "&target_branch=" + segment(pr.baseBranch()) + "&state=opened");
    JsonNode list = http.exchange("GET", uri, null, "the open merge requests of " + pr.headBranch());
    return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
  }

  @Override
  JsonNode create(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("source_branch", pr.headBranch()).put("target_branch", pr.baseBranch())
        .put("title", pr.title()).put("description", pr.description());
    return http.exchange("POST", URI.create(mergeRequests(apiBase, repo)), body, "a merge request from " + pr.headBranch());
  }

  @Override
  JsonNode update(ForgeHttp http, String apiBase, ForgeRepository repo, JsonNode existing, PullRequest pr) throws ForgeException {
    ObjectNode body = object().put("title", pr.title()).put("description", pr.description());
    return http.exchange("PUT", URI.create(mergeRequests(apiBase, repo) + "/" + number(existing)), body,
        "the update of merge request !" + number(existing));
  }

  @Override
  String numberField() {
    return "iid";
  }

  @Override
  String webUrlField() {
    return "web_url";
  }

  private static String mergeRequests(String apiBase, ForgeRepository repo) {
    return apiBase + "/projects/" + segment(repo.fullPath()) + "/merge_requests";
  }
}
