package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
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
public final class GitHubPullRequests extends RepositoryPullsClient {

  public GitHubPullRequests(ForgeHttp http, Optional<URI> apiBaseOverride) {
    super(http, apiBaseOverride);
  }

  @Override
  Optional<JsonNode> findOpen(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException {
    URI uri = URI.create(pulls(apiBase, repo) + "?head=" + segment(repo.ownerPath() + ":" + pr.headBranch()) + "&state=open");
    JsonNode list = http.exchange("GET", uri, null, "the open pull requests of " + pr.headBranch());
    return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
  }
}
