package dev.profileops.recorder.merge;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many of the recorded replicas used each rule (syscall, SELinux permission) of a merged profile.
 * A rule only a few replicas saw is the one a reviewer should look at (a rare code path, or one odd
 * replica). Seccomp profiles carry it as SPO's annotation ({@code seccomp.SyscallCoverageAnnotation}).
 */
public record RuleCoverage(int total, SortedMap<String, Integer> rules) {
  public RuleCoverage {
    if (total < 1) {
      throw new IllegalArgumentException("coverage of " + total + " replicas");
    }
    rules = Collections.unmodifiableSortedMap(new TreeMap<>(rules));
    rules.forEach((name, seen) -> {
      if (seen < 1 || seen > total) {
        throw new IllegalArgumentException(name + " seen by " + seen + " of " + total + " replicas");
      }
    });
  }

  /** The rules fewer than all replicas used, with their counts. */
  public SortedMap<String, Integer> partiallySeen() {
    TreeMap<String, Integer> partial = new TreeMap<>();
    rules.forEach((name, seen) -> {
      if (seen < total) {
        partial.put(name, seen);
      }
    });
    return partial;
  }
}
