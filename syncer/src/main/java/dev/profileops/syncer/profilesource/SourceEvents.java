package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on a source, best effort: an event that cannot be written never fails a sync. */
final class SourceEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SourceEvents.class);
  private final KubernetesClient client;

  SourceEvents(KubernetesClient client) {
    this.client = client;
  }

  void record(ProfileSource source, boolean warning, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client.v1().events().inNamespace(source.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(source.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(source.getMetadata().getNamespace()).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(source.getApiVersion()).withKind(source.getKind())
              .withName(source.getMetadata().getName()).withNamespace(source.getMetadata().getNamespace())
              .withUid(source.getMetadata().getUid()).build())
          .withType(warning ? "Warning" : "Normal").withReason(reason)
          .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("profileops-syncer").endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.debug("cannot record event {} on {}: {}", reason, source.getMetadata().getName(), e.getMessage());
    }
  }
}
