package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import dev.profileops.syncer.git.GitTransport;
import dev.profileops.syncer.git.SshTransportConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Access to a source's repository from its Secret. For https: {@code username}+{@code password}, or
 * {@code bearerToken} (sent as the password, as GitHub, Gitea and GitLab accept). For ssh://:
 * {@code identity} (a private key, OpenSSH format, unencrypted) and {@code known_hosts} (host keys
 * are always checked strictly: an unknown or changed host key fails the fetch). Values are never
 * logged.
 */
public final class SourceCredentials {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String BEARER_TOKEN = "bearerToken";
  public static final String IDENTITY = "identity";
  public static final String KNOWN_HOSTS = "known_hosts";

  private final KubernetesClient client;

  public SourceCredentials(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Everything needed to reach the source's repository: anonymous without a Secret, https
   * credentials, or for an ssh:// URL an ssh identity with strict known hosts. Close it after the
   * sync: it deletes the private files the ssh identity and known_hosts were written to.
   *
   * @throws IllegalStateException when the Secret is missing or lacks what the URL needs
   * @throws IllegalArgumentException when the identity or known_hosts cannot be used
   */
  public GitTransport transportFor(ProfileSource source) {
    Secret secret = secret(source);
    return secret == null ? GitTransport.none() : transportFor(secret, source.getSpec().getUrl());
  }

  /**
   * How to reach {@code url} with what {@code secret} holds: https credentials, or for an ssh:// URL an
   * ssh identity with strict known hosts. Shared by everything that reads a repository Secret (the
   * syncer's sources, the recorder's publisher).
   *
   * @throws IllegalStateException when the Secret lacks what the URL needs
   * @throws IllegalArgumentException when the identity or known_hosts cannot be used
   */
  public static GitTransport transportFor(Secret secret, String url) {
    Map<String, String> data = data(secret);
    String origin = "secret " + secret.getMetadata().getName();
    if (isSsh(url)) {
      String identity = decoded(data.get(IDENTITY));
      String knownHosts = decoded(data.get(KNOWN_HOSTS));
      if (identity == null) {
        throw new IllegalStateException(origin + " has no " + IDENTITY + " (a private key) for the ssh URL");
      }
      if (knownHosts == null) {
        throw new IllegalStateException(origin + " has no " + KNOWN_HOSTS + ": ssh host keys are always checked");
      }
      return GitTransport.ssh(SshTransportConfig.create(identity, knownHosts, origin), origin);
    }
    return GitTransport.https(httpsCredentials(secret, data), origin);
  }

  /** The decoded, trimmed value of {@code key} in the Secret's data (or stringData); empty when absent or blank. */
  public static Optional<String> value(Secret secret, String key) {
    return Optional.ofNullable(decoded(data(secret).get(key)));
  }

  /** The Secret the source names; null when it names none. */
  private Secret secret(ProfileSource source) {
    var ref = source.getSpec().getSecretRef();
    if (ref == null || ref.getName() == null) {
      return null;
    }
    Secret secret = client.secrets().inNamespace(source.getMetadata().getNamespace()).withName(ref.getName()).get();
    if (secret == null) {
      throw new IllegalStateException("secret " + ref.getName() + " not found in namespace " + source.getMetadata().getNamespace());
    }
    return secret;
  }

  private static CredentialsProvider httpsCredentials(Secret secret, Map<String, String> data) {
    String token = decoded(data.get(BEARER_TOKEN));
    if (token != null) {
      return new UsernamePasswordCredentialsProvider("x-access-token", token);
    }
    String username = decoded(data.get(USERNAME));
    String password = decoded(data.get(PASSWORD));
    if (username == null || password == null) {
      throw new IllegalStateException("secret " + secret.getMetadata().getName()
          + " has neither bearerToken nor username and password"
          + (data.containsKey(IDENTITY) ? " (identity is for ssh:// URLs)" : ""));
    }
    return new UsernamePasswordCredentialsProvider(username, password);
  }

  private static boolean isSsh(String url) {
    return url != null && url.toLowerCase(Locale.ROOT).startsWith("ssh://");
  }

  /** Secret data, with stringData (as the mock API server may keep it unconverted) merged in. */
  private static Map<String, String> data(Secret secret) {
    Map<String, String> data = new HashMap<>(secret.getData() == null ? Map.of() : secret.getData());
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.putIfAbsent(k,
          Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    }
    return data;
  }

  private static String decoded(String base64) {
    if (base64 == null) {
      return null;
    }
    String value = new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8).trim();
    return value.isEmpty() ? null : value;
  }
}
