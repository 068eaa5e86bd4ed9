package dev.profileops.host.bpf;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Records, per mount namespace, which syscalls its processes make, from the first successful exec
 * inside that namespace (where a container runtime hands over to the workload; the execve itself is
 * not recorded). The host's mount namespace
 * and the recorder's own are never recorded. A recording stays readable after the namespace's
 * processes have exited, until {@link #forget} (or until 4,096 newer recordings have taken its slot).
 */
public interface SyscallRecorder extends AutoCloseable {

  /** What the recorder runs on, e.g. {@code libbpf 1.1}, or why it cannot run. */
  String version();

  /** False for the stand-in that exists where BPF cannot run here. */
  default boolean available() {
    return true;
  }

  /**
   * Starts recording. With {@code trackedOnly} only namespaces passed to {@link #track} are
   * recorded; otherwise every mount namespace but the host's.
   */
  void start(boolean trackedOnly);

  /**
   * Records the mount namespace of this inode number from its first exec. One request is one
   * namespace: the request is used up by that exec, so a later namespace given the same inode
   * number is not recorded.
   */
  void track(long mountNamespace);

  /** Stops recording namespaces of this inode number that have not started yet. */
  void untrack(long mountNamespace);

  /** Every recording held now. */
  List<MountNamespaceRecording> recordings();

  /** Drops a recording, freeing its slot. */
  void forget(MountNamespaceRecording recording);

  /**
   * The recording of the namespace whose first exec process {@code pid} made: for {@code runc}, the
   * container's init pid; for {@code unshare COMMAND}, unshare's pid. Inode numbers and pids are both
   * reused, the two together name one namespace.
   */
  default Optional<MountNamespaceRecording> recording(long mountNamespace, long pid) {
    return recordings().stream()
        .filter(r -> r.mountNamespace() == mountNamespace && r.firstPid() == pid)
        .max(Comparator.comparingLong(MountNamespaceRecording::namespaceId));
  }

  /** The newest recording of any namespace with this inode number. */
  default Optional<MountNamespaceRecording> latest(long mountNamespace) {
    return recordings().stream()
        .filter(r -> r.mountNamespace() == mountNamespace)
        .max(Comparator.comparingLong(MountNamespaceRecording::namespaceId));
  }

  /** Detaches the program and frees the kernel's maps. */
  @Override
  void close();
}
