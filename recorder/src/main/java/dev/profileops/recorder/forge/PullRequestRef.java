package dev.profileops.recorder.forge;

/**
 * The pull request a forge holds after {@link PullRequestClient#openOrUpdate}.
 *
 * @param number GitHub's and Gitea's number, GitLab's iid (the one in its web URL)
 * @param url the page a reviewer opens
 * @param created true when this call opened it, false when it updated an open one
 */
public record PullRequestRef(long number, String url, boolean created) {}
