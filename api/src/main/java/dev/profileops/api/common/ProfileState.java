package dev.profileops.api.common;

import java.util.Collection;
import java.util.Comparator;

/**
 * The state of a profile on a node. Declared in the order that aggregates across nodes: a profile's
 * own state is the lowest of its nodes' states.
 */
public enum ProfileState {
  Error,
  Terminating,
  Partial,
  Disabled,
  Pending,
  InProgress,
  Installed;

  /** The lowest state of the given ones, or {@link #Pending} when no node reported yet. */
  public static ProfileState aggregate(Collection<ProfileState> states) {
    return states.stream().min(Comparator.naturalOrder()).orElse(Pending);
  }
}
