package dev.profileops.api.common;

/** Kinds a profile reference may name. */
public enum ProfileKind {
  SeccompProfile,
  SelinuxProfile,
  AppArmorProfile
}
