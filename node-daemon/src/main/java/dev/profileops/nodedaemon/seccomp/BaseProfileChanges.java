package dev.profileops.nodedaemon.seccomp;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.nodedaemon.ProfileUpdates;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Re-triggers the profiles built on a base profile when that base is created, changes its spec or is
 * deleted, all the way down the chain. JOSDK hands every event of the primary informer to event
 * sources that are {@link ResourceEventAware}, so this needs no informer of its own: it looks the
 * dependents up in the primary cache through an index on {@code spec.baseProfileName}.
 */
final class BaseProfileChanges extends AbstractEventSource<Void, SeccompProfile>
    implements ResourceEventAware<SeccompProfile> {
  static final String BY_BASE_PROFILE = "byBaseProfileName";

  private final IndexedResourceCache<SeccompProfile> profiles;

  BaseProfileChanges(IndexedResourceCache<SeccompProfile> profiles) {
    super(Void.class, "seccomp-base-profile-changes");
    this.profiles = profiles;
  }

  @Override
  public void onResourceCreated(SeccompProfile profile) {
    triggerDependentsOf(profile);
  }

  @Override
  public void onResourceUpdated(SeccompProfile now, SeccompProfile before) {
    // Status and metadata writes (ours included) leave the generation alone; only spec changes matter.
    if (ProfileUpdates.specChanged(now, before)) {
      triggerDependentsOf(now);
    }
  }

  @Override
  public void onResourceDeleted(SeccompProfile profile) {
    triggerDependentsOf(profile);
  }

  @Override
  public Set<Void> getSecondaryResources(SeccompProfile primary) {
    return Set.of();
  }

  private void triggerDependentsOf(SeccompProfile base) {
    if (!isRunning()) {
      return;
    }
    Set<String> visited = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add(base.getMetadata().getName());
    visited.add(base.getMetadata().getName());
    while (!pending.isEmpty()) {
      for (SeccompProfile dependent : profiles.byIndex(BY_BASE_PROFILE, pending.poll())) {
        if (visited.add(dependent.getMetadata().getName())) {
          getEventHandler().handleEvent(new Event(ResourceID.fromResource(dependent)));
          pending.add(dependent.getMetadata().getName());
        }
      }
    }
  }
}
