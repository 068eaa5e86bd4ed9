package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.CommitStatusSpec;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.syncer.forge.CommitStatusReporters;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeRepository;
import dev.profileops.syncer.forge.SyncSummary;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports each attempted revision's result to the forge as a commit status, once per revision and
 * result. A forge that cannot be reached is logged and never fails the sync.
 */
final class CommitStatusPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(CommitStatusPublisher.class);
  private final KubernetesClient client;
  private final Map<String, String> lastReported = new ConcurrentHashMap<>();

  CommitStatusPublisher(KubernetesClient client) {
    this.client = client;
  }

  /** @return null when reported or not configured, else why it failed (for an event) */
  String publish(ProfileSource source, SyncOutcome outcome) {
    CommitStatusSpec spec = source.getSpec().getCommitStatus();
    if (spec == null || outcome.revision() == null) {
      return null;
    }
    SyncSummary summary = outcome.failure() != null ? SyncSummary.failed(outcome.failure())
        : outcome.errors().isEmpty() ? SyncSummary.applied(outcome.inventory().size()) : SyncSummary.invalid(outcome.errors());
    String key = source.getMetadata().getUid() + "/" + outcome.revision();
    String result = summary.toCommitStatus().state() + ":" + summary.toCommitStatus().description();
    if (result.equals(lastReported.get(key))) {
      return null;
    }
    try {
      Forge forge = Forge.fromName(spec.getProvider());
      Optional<URI> api = Optional.ofNullable(spec.getApiURL()).map(URI::create);
      ForgeRepository repo = ForgeRepository.parse(forge, source.getSpec().getUrl(), api);
      CommitStatusReporters.forForge(forge, token(source, spec), api).report(repo, outcome.revision(), summary.toCommitStatus());
      lastReported.put(key, result);
      return null;
    } catch (ForgeException | RuntimeException e) {
      LOG.warn("commit status for {} at {} not reported: {}", source.getMetadata().getName(), outcome.revision(), e.getMessage());
      return e.getMessage();
    }
  }

  private String token(ProfileSource source, CommitStatusSpec spec) {
    if (spec.getSecretRef() == null) {
      throw new IllegalStateException("commitStatus.secretRef is required");
    }
    Secret secret = client.secrets().inNamespace(source.getMetadata().getNamespace()).withName(spec.getSecretRef().getName()).get();
    String value = secret == null || secret.getData() == null ? null : secret.getData().get("token");
    if (value == null) {
      throw new IllegalStateException("secret " + spec.getSecretRef().getName() + " has no key token");
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).trim();
  }
}
