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
 * @param cgroup the leaf name of that process's cgroup v2 directory ({@code <id>} for runc,
 *     {@code cri-containerd-<id>.scope} and the like under systemd), empty when unknown: names the
 *     container after it and its cgroup are gone
 */
public record MountNamespaceRecording(
    long namespaceId, long mountNamespace, BitSet syscallNumbers, long firstPid, long cgroupId, boolean overflow,
    String cgroup) {

  public MountNamespaceRecording {
    syscallNumbers = (BitSet) syscallNumbers.clone();
    cgroup = cgroup == null ? "" : cgroup;
  }

  /**
   * Whether the cgroup names the container with this runtime id: the whole name, or its last
   * dash-separated part before an optional {@code .scope}.
   */
  public boolean inContainer(String containerId) {
    if (containerId == null || containerId.isEmpty() || cgroup.isEmpty()) {
      return false;
    }
    String name = cgroup.endsWith(".scope") ? cgroup.substring(0, cgroup.length() - ".scope".length()) : cgroup;
    return name.equals(containerId) || name.endsWith("-" + containerId);
  }

  @Override
  public BitSet syscallNumbers() {
    return (BitSet) syscallNumbers.clone();
  }
}
