package dev.profileops.recorder.merge;

import java.util.List;
import java.util.Optional;

/**
 * The profiles a recording publishes: one per container (merged, with its coverage) or one per replica.
 *
 * @param coverage present for a merged profile
 */
public record MergeResult<P>(List<P> profiles, Optional<RuleCoverage> coverage) {
  public MergeResult {
    profiles = List.copyOf(profiles);
  }
}
