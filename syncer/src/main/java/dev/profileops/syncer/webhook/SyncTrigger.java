package dev.profileops.syncer.webhook;

/**
 * What the {@link WebhookReceiver} calls for every authenticated push. The implementation (the source
 * reconciler) finds its sources that follow the pushed repository and ref — {@link PushEvent#matches} does the
 * comparison — and starts a sync of each at once.
 *
 * <p>It runs on one of the receiver's few threads while the forge waits for the reply, so it should only
 * schedule the syncs, not run them.
 */
@FunctionalInterface
public interface SyncTrigger {

  /** Returns how many sources the push triggered (0 when none follows that repository and ref). */
  int trigger(PushEvent event);
}
