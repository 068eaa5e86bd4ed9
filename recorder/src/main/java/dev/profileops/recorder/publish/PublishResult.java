package dev.profileops.recorder.publish;

import dev.profileops.recorder.forge.PullRequestRef;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link RecordingPublisher#publish} did.
 *
 * @param branch the branch pushed ({@code profileops/recording/<recording>-<container>})
 * @param commit the commit pushed; empty when the repository already held these profiles
 * @param pushedRef the ref that received the push ({@code refs/heads/<branch>}, or AGit's {@code refs/for/...})
 * @param pullRequest the pull request opened or updated through the forge's API, if one was asked for
 * @param diffs per profile name: the rules added and removed against the default branch, and those left out
 * @param files per profile name: the file it was written to
 * @param timings where the time went
 */
public record PublishResult(String branch, Optional<String> commit, Optional<String> pushedRef,
    Optional<PullRequestRef> pullRequest, Map<String, RuleDiff> diffs, Map<String, String> files,
    PublishTimings timings) {

  public PublishResult {
    diffs = Map.copyOf(diffs);
    files = Map.copyOf(files);
  }

  /** True when nothing differed from the default branch, so nothing was pushed. */
  public boolean upToDate() {
    return commit.isEmpty();
  }
}
