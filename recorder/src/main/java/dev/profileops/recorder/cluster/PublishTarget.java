package dev.profileops.recorder.cluster;

import dev.profileops.api.SpoApi;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.source.CommitStatusSpec;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.recorder.publish.PublishCredentials;
import dev.profileops.recorder.publish.PullRequestTarget;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.git.GitTransport;
import dev.profileops.syncer.profilesource.SourceCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a recording's profiles go as a pull request: the repository of a ProfileSource in the
 * recording's namespace, named by the recording's annotation {@value #ANNOTATION}. The source gives the
 * URL, the default branch ({@code spec.ref.branch}, else {@code main}), the git credentials
 * ({@code spec.secretRef}) and the forge ({@code spec.commitStatus}: provider, API URL, token). With
 * annotation {@value #ANNOTATION_AGIT}{@code : "true"} the branch is pushed as an AGit
 * {@code refs/for/} push instead of through the forge's API. Close it after publishing: an ssh
 * transport writes the identity and known hosts to files, which closing deletes.
 */
public record PublishTarget(String repositoryUrl, String defaultBranch, GitTransport transport,
    Optional<PullRequestTarget> pullRequest) implements AutoCloseable {
  public static final String ANNOTATION = SpoApi.PROFILEOPS_DOMAIN + "/publish-to";
  public static final String ANNOTATION_AGIT = SpoApi.PROFILEOPS_DOMAIN + "/publish-agit";

  /**
   * The recording's target; empty when it names none (its profiles stay in the cluster, as SPO does).
   *
   * @throws IllegalStateException when the named source or its Secret is missing or incomplete
   */
  public static Optional<PublishTarget> of(KubernetesClient client, ProfileRecording recording) {
    Map<String, String> annotations = recording.getMetadata().getAnnotations();
    String sourceName = annotations == null ? null : annotations.get(ANNOTATION);
    if (sourceName == null || sourceName.isBlank()) {
      return Optional.empty();
    }
    String namespace = recording.getMetadata().getNamespace();
    ProfileSource source = client.resources(ProfileSource.class).inNamespace(namespace).withName(sourceName).get();
    if (source == null || source.getSpec() == null || source.getSpec().getUrl() == null) {
      throw new IllegalStateException("annotation " + ANNOTATION + " names ProfileSource " + namespace + "/" + sourceName
          + ", which does not exist or has no spec.url");
    }
    String url = source.getSpec().getUrl();
    PublishCredentials credentials = source.getSpec().getSecretRef() == null
        ? new PublishCredentials(GitTransport.none(), Optional.empty())
        : PublishCredentials.fromSecret(secret(client, namespace, source.getSpec().getSecretRef().getName()), url);
    String branch = source.getSpec().getRef() != null && source.getSpec().getRef().getBranch() != null
        ? source.getSpec().getRef().getBranch() : "main";
    Optional<PullRequestTarget> pullRequest;
    if ("true".equalsIgnoreCase(annotations.get(ANNOTATION_AGIT))) {
      pullRequest = Optional.of(new PullRequestTarget.AGit());
    } else {
      pullRequest = forge(client, namespace, source.getSpec().getCommitStatus(), credentials);
    }
    return Optional.of(new PublishTarget(url, branch, credentials.transport(), pullRequest));
  }

  /** The forge's API from the source's commit-status settings; its token from that Secret, else the git Secret's. */
  private static Optional<PullRequestTarget> forge(KubernetesClient client, String namespace, CommitStatusSpec spec,
      PublishCredentials credentials) {
    if (spec == null || spec.getProvider() == null) {
      return Optional.empty();
    }
    Optional<String> token = spec.getSecretRef() == null ? Optional.empty()
        : SourceCredentials.value(secret(client, namespace, spec.getSecretRef().getName()), "token");
    String chosen = token.or(credentials::forgeToken).orElseThrow(() -> new IllegalStateException(
        "the forge " + spec.getProvider() + " needs a token: key token in commitStatus.secretRef, or "
            + PublishCredentials.FORGE_TOKEN + " in the source's secretRef"));
    return Optional.of(new PullRequestTarget.ForgeApi(Forge.fromName(spec.getProvider()), chosen,
        Optional.ofNullable(spec.getApiURL()).map(URI::create)));
  }

  private static Secret secret(KubernetesClient client, String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + name + " does not exist");
    }
    return secret;
  }

  @Override
  public void close() {
    transport.close();
  }

  /** Never the credentials. */
  @Override
  public String toString() {
    return "PublishTarget[" + repositoryUrl + " " + defaultBranch + ", pull request " + pullRequest.map(Object::toString).orElse("none") + "]";
  }
}
