package dev.profileops.host.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's mount namespace and cgroups from {@code /proc}: how user space maps a container,
 * while one of its processes lives, to the namespace the kernel program keys its recordings by.
 */
public final class ProcNamespaces {
  private static final Pattern NAMESPACE_LINK = Pattern.compile("mnt:\\[(\\d+)]");

  private final Path proc;

  public ProcNamespaces(Path proc) {
    this.proc = proc;
  }

  public static ProcNamespaces system() {
    return new ProcNamespaces(Path.of("/proc"));
  }

  /** The inode number of the process's mount namespace, empty when the process is gone or hidden. */
  public OptionalLong mountNamespace(long pid) {
    return mountNamespace(proc.resolve(Long.toString(pid)));
  }

  /** This process's own mount namespace. */
  public OptionalLong ownMountNamespace() {
    return mountNamespace(proc.resolve("self"));
  }

  /**
   * The host's mount namespace: pid 1's, or this process's own when pid 1's cannot be read (in a
   * sandbox, or a container without the host's pid namespace).
   */
  public OptionalLong hostMountNamespace() {
    OptionalLong init = mountNamespace(1);
    return init.isPresent() ? init : ownMountNamespace();
  }

  /** The lines of {@code /proc/PID/cgroup}, empty when the process is gone. */
  public List<String> cgroups(long pid) {
    try {
      return Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static OptionalLong mountNamespace(Path processDir) {
    try {
      Matcher m = NAMESPACE_LINK.matcher(Files.readSymbolicLink(processDir.resolve("ns").resolve("mnt")).toString());
      return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return OptionalLong.empty();
    }
  }
}
