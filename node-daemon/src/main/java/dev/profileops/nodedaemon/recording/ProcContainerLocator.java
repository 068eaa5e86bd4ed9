package dev.profileops.nodedaemon.recording;

import dev.profileops.host.bpf.ProcNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Finds a container's processes through {@code /proc/<pid>/cgroup}: every runtime (containerd, CRI-O,
 * Docker, runc) puts the container id in the cgroup path of the container's processes, on cgroup v1
 * and v2. The container's init is the lowest such pid.
 */
public final class ProcContainerLocator implements ContainerLocator {
  /** Shorter ids would match unrelated cgroup paths; runtimes use 64 hex digits, runc any name. */
  private static final int MIN_ID_LENGTH = 6;
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Path proc;
  private final ProcNamespaces namespaces;

  public ProcContainerLocator(Path proc) {
    this.proc = proc;
    this.namespaces = new ProcNamespaces(proc);
  }

  public static ProcContainerLocator system() {
    return new ProcContainerLocator(Path.of("/proc"));
  }

  @Override
  public Optional<ContainerProcess> locate(String containerId) {
    if (containerId == null || containerId.length() < MIN_ID_LENGTH || !SAFE_ID.matcher(containerId).matches()) {
      return Optional.empty();
    }
    long init = Long.MAX_VALUE;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> isPid(entry.getFileName().toString()))) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        if (pid < init && inContainer(pid, containerId)) {
          init = pid;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (init == Long.MAX_VALUE) {
      return Optional.empty();
    }
    OptionalLong mountNamespace = namespaces.mountNamespace(init);
    long pid = init;
    return mountNamespace.isPresent() ? Optional.of(new ContainerProcess(pid, mountNamespace.getAsLong())) : Optional.empty();
  }

  /** Whether a cgroup path of the process names the container: as a whole path segment or its suffix. */
  private boolean inContainer(long pid, String containerId) {
    for (String line : namespaces.cgroups(pid)) {
      // hierarchy-id:controllers:path, e.g. 0::/kubepods.slice/.../cri-containerd-<id>.scope
      String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
      for (String segment : path.split("/")) {
        if (segment.equals(containerId) || segment.endsWith("-" + containerId + ".scope") || segment.endsWith("-" + containerId)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isPid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
