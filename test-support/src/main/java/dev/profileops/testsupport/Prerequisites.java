package dev.profileops.testsupport;

import java.util.Optional;

/** For tests that need something of the machine (root, BPF, a tool): skip visibly, or fail under CI. */
public final class Prerequisites {
  private Prerequisites() {}

  /**
   * Skips the calling test with the reason when {@code missing} holds one; fails it instead when the
   * environment variable {@code CI} is set, where the machine is set up on purpose.
   */
  public static void require(Optional<String> missing) {
    Commands.assumeOrFailInCi(missing);
  }
}
