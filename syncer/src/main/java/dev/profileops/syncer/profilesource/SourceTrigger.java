package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import dev.profileops.syncer.webhook.PushEvent;
import dev.profileops.syncer.webhook.SyncTrigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;

/**
 * A push names a repository and ref: every ProfileSource that follows them gets a new
 * {@code profileops.dev/requestedAt}, the same path as a manual trigger, so the controller syncs it at once.
 */
public final class SourceTrigger implements SyncTrigger {
  private final KubernetesClient client;
  private final Clock clock;

  public SourceTrigger(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public int trigger(PushEvent event) {
    int triggered = 0;
    for (ProfileSource source : client.resources(ProfileSource.class).inAnyNamespace().list().getItems()) {
      String ref = source.getSpec().getRef() == null ? "main" : source.getSpec().getRef().effective();
      if (source.getSpec().suspended() || !event.matches(source.getSpec().getUrl(), ref)) {
        continue;
      }
      String requestedAt = clock.instant() + " push " + event.after();
      client.resources(ProfileSource.class).inNamespace(source.getMetadata().getNamespace())
          .withName(source.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
              + ProfileSource.ANNOTATION_REQUESTED_AT + "\":\"" + requestedAt + "\"}}}");
      triggered++;
    }
    return triggered;
  }
}
