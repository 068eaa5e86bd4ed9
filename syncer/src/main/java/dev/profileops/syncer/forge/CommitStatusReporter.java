package dev.profileops.syncer.forge;

/** Writes the status of an attempted revision back to the forge that hosts the repository. */
public interface CommitStatusReporter {

  /**
   * Sets {@code status} on commit {@code sha} of {@code repo}; a later call with the same context
   * replaces what the forge shows.
   *
   * @throws ForgeException when the forge answers with a non-2xx code or cannot be reached
   * @throws IllegalArgumentException when {@code sha} is not a hexadecimal commit id, or {@code repo}
   *     is on another forge than this reporter's
   */
  void report(ForgeRepository repo, String sha, CommitStatus status) throws ForgeException;
}
