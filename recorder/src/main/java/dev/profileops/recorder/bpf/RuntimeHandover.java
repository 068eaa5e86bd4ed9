package dev.profileops.recorder.bpf;

import java.util.List;

/**
 * The syscalls runc makes between loading a container's seccomp filter and its execve of the
 * workload. The BPF recorder starts at that execve, so it never sees them, yet the filter applies to
 * them: every recorded profile allows them too. Found with the real runc 1.1 by the recorder's
 * enforcement test (record a workload that makes almost no syscalls, then run it under the profile with
 * default ERRNO ten times) and strace of runc's init; see docs/recording.md.
 */
public final class RuntimeHandover {
  private RuntimeHandover() {}

  /**
   * The smallest set that passed the test loop with runc 1.1.5 is 8: execve; openat, write, close
   * (the exec fifo); fstatfs, getdents64 (the sweep of /proc/self/fd); futex; rt_sigreturn (a Go
   * preemption signal returning; without it runc's init died of SIGSEGV before the workload).
   * Leaving out fstatfs, getdents64, rt_sigreturn, or write and futex made runs fail. Plus what strace showed
   * there without the loop failing (getpid, nanosleep, sched_yield, epoll_ctl: the Go scheduler), and
   * two read from runc's and Go's code: fcntl (close-on-exec of inherited fds) and tgkill (preemption
   * signals between runc's threads).
   */
  public static final List<String> SYSCALLS = List.of(
      "close", "epoll_ctl", "execve", "fcntl", "fstatfs", "futex", "getdents64", "getpid", "nanosleep",
      "openat", "rt_sigreturn", "sched_yield", "tgkill", "write");
}
