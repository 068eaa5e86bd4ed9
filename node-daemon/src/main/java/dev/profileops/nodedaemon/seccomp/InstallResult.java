package dev.profileops.nodedaemon.seccomp;

/** What an install did on disk. */
public enum InstallResult {
  /** The file was missing or had other bytes, and now has the new ones. */
  Written,
  /** The file already had exactly these bytes; it was not touched. */
  Unchanged
}
