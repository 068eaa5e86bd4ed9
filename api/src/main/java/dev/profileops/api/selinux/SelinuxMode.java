package dev.profileops.api.selinux;

/** Whether the policy denies (Enforcing) or only logs (Permissive). */
public enum SelinuxMode {
  Enforcing,
  Permissive
}
