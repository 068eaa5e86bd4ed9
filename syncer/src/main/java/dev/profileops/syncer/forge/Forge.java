package dev.profileops.syncer.forge;

import java.util.Locale;

/** The forges whose commit-status APIs ProfileOps writes to. */
public enum Forge {
  GITHUB("GitHub", 140),
  GITEA("Gitea", 255),
  GITLAB("GitLab", 255);

  private final String displayName;
  private final int maxDescriptionLength;

  Forge(String displayName, int maxDescriptionLength) {
    this.displayName = displayName;
    this.maxDescriptionLength = maxDescriptionLength;
  }

  public String displayName() {
    return displayName;
  }

  /**
   * The longest status description the forge takes, in characters. GitHub refuses more than 140 with
   * 422 "description is too long"; GitLab documents 255. Gitea stores any length (a TEXT column), so
   * 255 there only keeps one summary alike on all three.
   */
  public int maxDescriptionLength() {
    return maxDescriptionLength;
  }

  /** {@code github}, {@code gitea} or {@code gitlab}, in any case. */
  public static Forge fromName(String name) {
    if (name != null) {
      switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "github":
          return GITHUB;
        case "gitea":
          return GITEA;
        case "gitlab":
          return GITLAB;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown forge provider '" + name + "': expected github, gitea or gitlab");
  }

  @Override
  public String toString() {
    return displayName;
  }
}
