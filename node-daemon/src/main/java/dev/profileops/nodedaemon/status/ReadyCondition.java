package dev.profileops.nodedaemon.status;

import dev.profileops.api.common.Condition;
import dev.profileops.api.common.Conditions;
import dev.profileops.api.common.ProfileState;
import java.time.Instant;
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
    return Conditions.set(existing, TYPE, state == ProfileState.Installed, state.name(), message, now);
  }
}
