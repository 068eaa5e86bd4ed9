package dev.profileops.recorder.publish;

import dev.profileops.syncer.git.GitTransport;
import dev.profileops.syncer.profilesource.SourceCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * What a recording's publish needs from a Secret: how to push (the same keys a ProfileSource's Secret
 * has: {@code username}+{@code password} or {@code bearerToken} for https, {@code identity} and
 * {@code known_hosts} for ssh) and the forge API token ({@value #FORGE_TOKEN}, else {@code bearerToken}).
 * Values are never logged; {@link #toString()} does not show them. Close {@link #transport()} after
 * publishing: for ssh it deletes the files the identity and known hosts were written to.
 */
public record PublishCredentials(GitTransport transport, Optional<String> forgeToken) {
  public static final String FORGE_TOKEN = "forgeToken";

  public PublishCredentials {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(forgeToken, "forgeToken");
  }

  /**
   * @throws IllegalStateException when the Secret lacks what the URL needs (the message names the Secret and key)
   */
  public static PublishCredentials fromSecret(Secret secret, String repositoryUrl) {
    Optional<String> token = SourceCredentials.value(secret, FORGE_TOKEN)
        .or(() -> SourceCredentials.value(secret, SourceCredentials.BEARER_TOKEN));
    return new PublishCredentials(SourceCredentials.transportFor(secret, repositoryUrl), token);
  }

  @Override
  public String toString() {
    return "PublishCredentials[" + transport + ", forge token " + (forgeToken.isPresent() ? "***" : "none") + "]";
  }
}
