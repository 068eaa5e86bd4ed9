package dev.profileops.recorder.forge;

import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeRepository;

/** Opens a pull request through a forge's API, or updates the one already open for the same branch. */
public interface PullRequestClient {

  /**
   * Looks for an open pull request from {@code pr.headBranch()}; updates its title and description
   * when there is one, else opens one.
   *
   * @throws ForgeException when the forge refuses or cannot be reached (the message never holds the token)
   */
  PullRequestRef openOrUpdate(ForgeRepository repo, PullRequest pr) throws ForgeException;
}
