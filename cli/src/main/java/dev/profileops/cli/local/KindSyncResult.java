package dev.profileops.cli.local;

import java.util.List;

/** What the local sync did for one profile kind: one line per profile, and the errors (file: message) to print. */
public record KindSyncResult(List<LocalNodeSync.Action> actions, List<String> errors) {
  /** Errors that fail the sync; warnings (say, a compile check that could not run) do not. */
  public boolean failed() {
    return errors.stream().anyMatch(e -> !e.startsWith("warning: "));
  }
}
