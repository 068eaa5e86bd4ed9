package dev.profileops.api.seccomp;

/** Filter flags runc passes to seccomp(2). */
public enum SeccompFlag {
  SECCOMP_FILTER_FLAG_TSYNC,
  SECCOMP_FILTER_FLAG_LOG,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
}
