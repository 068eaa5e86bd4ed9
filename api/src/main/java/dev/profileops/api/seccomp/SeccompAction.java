package dev.profileops.api.seccomp;

/**
 * Seccomp actions. Declared from most to least restrictive, which is the order in which a derived
 * profile's action for a syscall overrides its base profile's: the less restrictive one wins.
 */
public enum SeccompAction {
  SCMP_ACT_KILL_PROCESS,
  SCMP_ACT_KILL_THREAD,
  /** Same as KILL_THREAD in libseccomp. */
  SCMP_ACT_KILL,
  SCMP_ACT_TRAP,
  SCMP_ACT_ERRNO,
  SCMP_ACT_NOTIFY,
  SCMP_ACT_TRACE,
  SCMP_ACT_LOG,
  SCMP_ACT_ALLOW;

  /** The less restrictive of two actions. */
  public static SeccompAction lessRestrictive(SeccompAction a, SeccompAction b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
