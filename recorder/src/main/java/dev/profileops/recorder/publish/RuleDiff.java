package dev.profileops.recorder.publish;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The allow rules (syscalls, SELinux permissions) a recorded profile adds to, and removes from, the
 * profile of the same name on the default branch, and the recorded rules left out because the
 * repository's validation refuses them.
 *
 * @param leftOut rule → why it was not proposed
 */
public record RuleDiff(SortedSet<String> added, SortedSet<String> removed, boolean newProfile, SortedMap<String, String> leftOut) {
  public RuleDiff {
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
    leftOut = Collections.unmodifiableSortedMap(new TreeMap<>(leftOut));
  }

  public RuleDiff(SortedSet<String> added, SortedSet<String> removed, boolean newProfile) {
    this(added, removed, newProfile, new TreeMap<>());
  }

  /**
   * @param before the default branch's rules; null when the profile is new
   * @param after what is proposed
   */
  public static RuleDiff between(SortedSet<String> before, SortedSet<String> after, Map<String, String> leftOut) {
    TreeSet<String> old = before == null ? new TreeSet<>() : new TreeSet<>(before);
    TreeSet<String> added = new TreeSet<>(after);
    added.removeAll(old);
    TreeSet<String> removed = new TreeSet<>(old);
    removed.removeAll(after);
    return new RuleDiff(added, removed, before == null, new TreeMap<>(leftOut));
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
