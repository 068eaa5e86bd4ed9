package dev.profileops.recorder.forge;

/**
 * A pull (merge) request to open or update: from {@code headBranch} into {@code baseBranch} of the
 * same repository.
 *
 * @param description markdown
 */
public record PullRequest(String headBranch, String baseBranch, String title, String description) {
  public PullRequest {
    requireText(headBranch, "head branch");
    requireText(baseBranch, "base branch");
    requireText(title, "title");
    description = description == null ? "" : description;
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a pull request needs a " + what);
    }
  }
}
