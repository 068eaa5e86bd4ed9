package dev.profileops.api.common;

/** {@code spec.state}: whether a profile is meant to be installed. */
public enum ProfileActivation {
  Enabled,
  Disabled
}
