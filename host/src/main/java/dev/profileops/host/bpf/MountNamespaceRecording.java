package dev.profileops.host.bpf;

import java.util.BitSet;

/**
 * The syscalls seen in one mount namespace since its first successful exec.
 *
 * @param namespaceId the kernel's id of the namespace, never reused (unlike its inode number)
 * @param mountNamespace the namespace's inode number, as in {@code /proc/PID/ns/mnt}
 * @param syscallNumbers the native syscall numbers seen, one bit each
 * @param firstPid the process whose exec started the recording
 * @param cgroupId the cgroup v2 id of that process
 * @param overflow whether a syscall number too large for the bitmap was seen (and lost)
 */
public record MountNamespaceRecording(
    long namespaceId, long mountNamespace, BitSet syscallNumbers, long firstPid, long cgroupId, boolean overflow) {

  public MountNamespaceRecording {
    syscallNumbers = (BitSet) syscallNumbers.clone();
  }

  @Override
  public BitSet syscallNumbers() {
    return (BitSet) syscallNumbers.clone();
  }
}
