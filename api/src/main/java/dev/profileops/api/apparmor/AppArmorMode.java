package dev.profileops.api.apparmor;

/** Enforce denies; Complain only logs. */
public enum AppArmorMode {
  Enforce,
  Complain
}
