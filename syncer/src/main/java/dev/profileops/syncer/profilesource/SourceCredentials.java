package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * HTTPS credentials from the source's Secret: {@code username}+{@code password}, or {@code bearerToken}
 * (sent as the password, as GitHub, Gitea and GitLab accept). Values are never logged.
 */
public final class SourceCredentials {
  private final KubernetesClient client;

  public SourceCredentials(KubernetesClient client) {
    this.client = client;
  }

  /** Null when the source names no Secret. */
  public CredentialsProvider forSource(ProfileSource source) {
    var ref = source.getSpec().getSecretRef();
    if (ref == null || ref.getName() == null) {
      return null;
    }
    Secret secret = client.secrets().inNamespace(source.getMetadata().getNamespace()).withName(ref.getName()).get();
    if (secret == null) {
      throw new IllegalStateException("secret " + ref.getName() + " not found in namespace " + source.getMetadata().getNamespace());
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String token = decoded(data.get("bearerToken"));
    if (token != null) {
      return new UsernamePasswordCredentialsProvider("x-access-token", token);
    }
    String username = decoded(data.get("username"));
    String password = decoded(data.get("password"));
    if (username == null || password == null) {
      throw new IllegalStateException("secret " + ref.getName() + " has neither bearerToken nor username and password");
    }
    return new UsernamePasswordCredentialsProvider(username, password);
  }

  private static String decoded(String base64) {
    return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).trim();
  }
}
