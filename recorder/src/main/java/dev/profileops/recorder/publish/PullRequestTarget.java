package dev.profileops.recorder.publish;

import dev.profileops.syncer.forge.Forge;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/** How the pushed branch becomes a pull request: through the forge's API, or AGit's API-free push. */
public sealed interface PullRequestTarget {

  /**
   * The forge's pull request API, authenticated with {@code token}.
   *
   * @param apiBase replaces the API base URL derived from the repository URL (a forge under a sub-path)
   */
  record ForgeApi(Forge forge, String token, Optional<URI> apiBase) implements PullRequestTarget {
    public ForgeApi {
      Objects.requireNonNull(forge, "forge");
      Objects.requireNonNull(apiBase, "apiBase");
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("no " + forge + " token given for pull requests");
      }
    }

    @Override
    public String toString() {
      return "ForgeApi[" + forge + ", token ***" + apiBase.map(u -> ", " + u).orElse("") + "]";
    }
  }

  /**
   * A push to {@code refs/for/<default branch>/<topic>} with title and description as push options, which
   * Gitea, Forgejo and Gerrit-like servers turn into a pull request; no API token needed.
   */
  record AGit() implements PullRequestTarget {}
}
