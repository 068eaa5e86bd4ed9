package dev.profileops.nodedaemon.status;

import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The {@code Ready} condition of a profile, derived from its state across nodes. */
public final class ReadyCondition {
  public static final String TYPE = "Ready";

  private ReadyCondition() {}

  /**
   * The conditions with Ready set for the state: True only when Installed everywhere, reason the state.
   * The transition time moves only when True/False flips, so identical inputs give identical output.
   */
  public static List<Condition> apply(List<Condition> existing, ProfileState state, String message, Instant now) {
    String status = state == ProfileState.Installed ? "True" : "False";
    Condition previous = existing.stream().filter(c -> TYPE.equals(c.getType())).findFirst().orElse(null);
    String since = previous != null && status.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
        ? previous.getLastTransitionTime()
        : now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> result = new ArrayList<>();
    for (Condition c : existing) {
      if (!TYPE.equals(c.getType())) {
        result.add(c);
      }
    }
    result.add(new Condition(TYPE, status, since, state.name(), message));
    return result;
  }
}
