package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What to follow, in Flux's shape: a branch, a tag, or one fixed commit (the first set wins: commit, tag, branch). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRef {
  private String branch;
  private String tag;
  private String commit;

  public String getBranch() { return branch; }
  public void setBranch(String branch) { this.branch = branch; }
  public String getTag() { return tag; }
  public void setTag(String tag) { this.tag = tag; }
  public String getCommit() { return commit; }
  public void setCommit(String commit) { this.commit = commit; }

  /** The name to resolve: commit, else tag, else branch, else {@code main}. */
  public String effective() {
    if (commit != null && !commit.isBlank()) {
      return commit;
    }
    if (tag != null && !tag.isBlank()) {
      return tag;
    }
    return branch != null && !branch.isBlank() ? branch : "main";
  }
}
