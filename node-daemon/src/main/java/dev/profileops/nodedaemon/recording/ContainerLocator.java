package dev.profileops.nodedaemon.recording;

import java.util.Optional;

/** Finds a running container's processes on this node, from the id the container runtime gave it. */
public interface ContainerLocator {

  /**
   * The container's first process (its init, the lowest pid in its cgroup) and that process's mount
   * namespace; empty when no process of the container runs here (not started yet, or exited).
   */
  Optional<ContainerProcess> locate(String containerId);

  /** A container's init process and the mount namespace the recorder keys its recording by. */
  record ContainerProcess(long pid, long mountNamespace) {}
}
