package dev.profileops.syncer.forge;

import java.net.URI;
import java.util.Optional;

/** Picks the reporter for a configured forge provider. */
public final class CommitStatusReporters {
  private CommitStatusReporters() {}

  /**
   * The reporter for {@code provider} ({@code github}, {@code gitea} or {@code gitlab}), posting with
   * {@code token}; {@code apiBase}, when present, replaces the API base URL derived from each
   * repository's clone URL.
   *
   * @throws IllegalArgumentException for an unknown provider or a blank token (the message never holds the token)
   */
  public static CommitStatusReporter forProvider(String provider, String token, Optional<URI> apiBase) {
    return forForge(Forge.fromName(provider), token, apiBase);
  }

  public static CommitStatusReporter forForge(Forge forge, String token, Optional<URI> apiBase) {
    switch (forge) {
      case GITHUB:
        return new GitHubStatusReporter(token, apiBase);
      case GITEA:
        return new GiteaStatusReporter(token, apiBase);
      case GITLAB:
        return new GitLabStatusReporter(token, apiBase);
      default:
        throw new IllegalStateException(forge.name());
    }
  }
}
