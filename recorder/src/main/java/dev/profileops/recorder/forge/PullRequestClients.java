package dev.profileops.recorder.forge;

import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.forge.ForgeHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/** Picks the pull request client for a configured forge provider. */
public final class PullRequestClients {
  private PullRequestClients() {}

  /**
   * The client for {@code forge}, authenticating with {@code token}; {@code apiBase}, when present,
   * replaces the API base URL derived from the repository's clone URL.
   *
   * @throws IllegalArgumentException for a blank token (the message never holds the token)
   */
  public static PullRequestClient forForge(Forge forge, String token, Optional<URI> apiBase) {
    return forForge(forge, token, apiBase, ForgeHttp.defaultHttpClient(), ForgeHttp.DEFAULT_REQUEST_TIMEOUT);
  }

  public static PullRequestClient forForge(Forge forge, String token, Optional<URI> apiBase, HttpClient http,
      Duration requestTimeout) {
    ForgeHttp forgeHttp = ForgeHttp.forForge(forge, token, http, requestTimeout);
    switch (forge) {
      case GITHUB:
        return new GitHubPullRequests(forgeHttp, apiBase);
      case GITEA:
        return new GiteaPullRequests(forgeHttp, apiBase);
      case GITLAB:
        return new GitLabMergeRequests(forgeHttp, apiBase);
      default:
        throw new IllegalStateException(forge.name());
    }
  }
}
