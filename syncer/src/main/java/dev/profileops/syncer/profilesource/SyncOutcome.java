package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.InventoryEntry;
import dev.profileops.syncer.validate.Problem;
import java.util.List;

/**
 * What one sync of a source did.
 *
 * @param revision the commit attempted, null when it could not be fetched
 * @param failure why nothing was applied (fetch or verification failed), null otherwise
 * @param reason a one-word kstatus reason for the outcome
 * @param verification why the revision is trusted, when the source verifies signatures; null otherwise
 */
public record SyncOutcome(String revision, boolean fetched, String failure, String reason, List<Problem> problems,
    List<InventoryEntry> inventory, List<String> applied, List<String> pruned, List<String> conflicts,
    String verification) {

  public static SyncOutcome failed(String revision, String reason, String failure) {
    return new SyncOutcome(revision, false, failure, reason, List.of(), List.of(), List.of(), List.of(), List.of(), null);
  }

  /** The same outcome, saying which trusted key signed the revision. */
  public SyncOutcome verifiedBy(String message) {
    return new SyncOutcome(revision, fetched, failure, reason, problems, inventory, applied, pruned, conflicts, message);
  }

  public boolean succeeded() {
    return failure == null && errors().isEmpty();
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }
}
