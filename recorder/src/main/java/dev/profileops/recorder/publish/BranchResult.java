package dev.profileops.recorder.publish;

import java.util.List;
import java.util.Optional;

/**
 * What {@link PushRecordingBranchCommand} did.
 *
 * @param commit the commit the branch now points at; empty when the files already matched the default
 *     branch, so nothing was committed or pushed
 * @param baseCommit the default branch's head the commit was made on
 * @param changedFiles the files the commit changed, relative to the repository root
 */
public record BranchResult(String branch, Optional<String> commit, String baseCommit, List<String> changedFiles) {
  public BranchResult {
    changedFiles = List.copyOf(changedFiles);
  }

  public String ref() {
    return "refs/heads/" + branch;
  }
}
