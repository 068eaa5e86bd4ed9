package dev.profileops.recorder.publish;

import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.recorder.merge.PartialProfileMerger;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The ALLOW syscalls a recorded profile adds to, and removes from, the profile of the same name on the
 * default branch. Compares the profiles' own ALLOW names; base profiles are not resolved (a reviewer
 * reads the file, and the file holds only its own rules).
 */
public record SyscallDiff(SortedSet<String> added, SortedSet<String> removed, boolean newProfile) {
  public SyscallDiff {
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** @param before the default branch's profile; null when the profile is new */
  public static SyscallDiff between(SeccompProfileSpec before, SeccompProfileSpec after) {
    TreeSet<String> old = PartialProfileMerger.allowedSyscalls(before);
    TreeSet<String> recorded = PartialProfileMerger.allowedSyscalls(after);
    TreeSet<String> added = new TreeSet<>(recorded);
    added.removeAll(old);
    TreeSet<String> removed = new TreeSet<>(old);
    removed.removeAll(recorded);
    return new SyscallDiff(added, removed, before == null);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
