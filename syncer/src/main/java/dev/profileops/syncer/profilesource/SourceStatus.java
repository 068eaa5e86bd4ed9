package dev.profileops.syncer.profilesource;

import dev.profileops.api.common.Condition;
import dev.profileops.api.common.Conditions;
import dev.profileops.api.source.FileError;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceStatus;
import dev.profileops.syncer.validate.Problem;
import java.time.Instant;
import java.util.List;

/**
 * Writes a sync outcome into the kstatus shape: Ready, Reconciling and Stalled conditions (plus
 * SourceVerified where verification runs), observedGeneration, revisions, inventory and file errors.
 */
final class SourceStatus {
  /** Bounded: a status is no log. */
  static final int MAX_ERRORS = 50;

  private SourceStatus() {}

  static ProfileSourceStatus reconciling(ProfileSource source, Instant now) {
    ProfileSourceStatus status = current(source);
    status.setConditions(Conditions.set(status.getConditions(), "Reconciling", true, "Progressing",
        "syncing " + source.getSpec().getUrl(), now));
    return status;
  }

  static ProfileSourceStatus suspended(ProfileSource source, Instant now) {
    ProfileSourceStatus status = current(source);
    status.setObservedGeneration(source.getMetadata().getGeneration());
    List<Condition> c = Conditions.set(status.getConditions(), "Reconciling", false, "Suspended", "suspended", now);
    status.setConditions(c);
    return status;
  }

  static ProfileSourceStatus from(ProfileSource source, SyncOutcome outcome, Instant now) {
    ProfileSourceStatus status = current(source);
    status.setObservedGeneration(source.getMetadata().getGeneration());
    String requestedAt = source.getMetadata().getAnnotations() == null ? null
        : source.getMetadata().getAnnotations().get(ProfileSource.ANNOTATION_REQUESTED_AT);
    if (requestedAt != null) {
      status.setLastHandledReconcileAt(requestedAt);
    }
    if (outcome.revision() != null) {
      status.setLastAttemptedRevision(outcome.revision());
    }
    List<Condition> c = Conditions.set(status.getConditions(), "Reconciling", false, outcome.reason(), "", now);
    if (outcome.failure() != null) {
      // Nothing applied; what was applied before stays. Fetch failures heal on a later try.
      boolean stalled = !"FetchFailed".equals(outcome.reason());
      c = Conditions.set(c, "Ready", false, outcome.reason(), outcome.failure() + lastGood(status), now);
      c = Conditions.set(c, "Stalled", stalled, outcome.reason(), stalled ? outcome.failure() : "", now);
      if ("VerificationFailed".equals(outcome.reason())) {
        c = Conditions.set(c, "SourceVerified", false, outcome.reason(), outcome.failure(), now);
      }
      status.setConditions(c);
      return status;
    }
    if (outcome.verification() != null) {
      c = Conditions.set(c, "SourceVerified", true, "Succeeded", outcome.verification(), now);
    }
    status.setInventory(outcome.inventory());
    status.setErrors(outcome.errors().stream().limit(MAX_ERRORS)
        .map(p -> new FileError(p.file(), p.line(), p.field(), p.message())).toList());
    if (outcome.succeeded()) {
      status.setLastAppliedRevision(outcome.revision());
      c = Conditions.set(c, "Ready", true, "Succeeded", "applied revision " + outcome.revision(), now);
      c = Conditions.set(c, "Stalled", false, "Succeeded", "", now);
    } else {
      // Valid files were applied; invalid ones keep their last good version until a new commit fixes them.
      String message = outcome.errors().size() + " error(s); first: " + first(outcome.errors()) + lastGood(status);
      c = Conditions.set(c, "Ready", false, outcome.reason(), message, now);
      c = Conditions.set(c, "Stalled", true, outcome.reason(), message, now);
    }
    status.setConditions(c);
    return status;
  }

  private static String first(List<Problem> errors) {
    return errors.isEmpty() ? "" : errors.get(0).toString();
  }

  private static String lastGood(ProfileSourceStatus status) {
    return status.getLastAppliedRevision() == null ? "" : "; last good revision " + status.getLastAppliedRevision() + " stays applied";
  }

  private static ProfileSourceStatus current(ProfileSource source) {
    return source.getStatus() == null ? new ProfileSourceStatus() : source.getStatus();
  }
}
