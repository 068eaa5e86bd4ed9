package dev.profileops.nodedaemon.enricher.resolve;

import java.util.List;
import java.util.Optional;

/**
 * The container id in a process's cgroup paths. Container runtimes name the cgroup after the
 * container's 64-hex id: containerd {@code cri-containerd-<id>.scope} or {@code .../<id>}, CRI-O
 * {@code crio-<id>.scope}, Docker {@code docker-<id>.scope} or {@code /docker/<id>}, podman
 * {@code libpod-<id>.scope}, on cgroup v1 and v2. Plain runc without a cgroupsPath names it
 * {@code /<container name>}: a single path segment that is no systemd unit is taken as that.
 */
public final class CgroupContainerId {
  private static final int ID_LENGTH = 64;

  private CgroupContainerId() {}

  public static Optional<String> find(List<String> cgroupLines) {
    // the unified hierarchy (0::) first, then v1 controllers in the file's order
    String runcName = null;
    for (int pass = 0; pass < 2; pass++) {
      for (String line : cgroupLines) {
        boolean unified = line.startsWith("0::");
        if (unified != (pass == 0)) {
          continue;
        }
        String path = path(line);
        Optional<String> id = hexId(path);
        if (id.isPresent()) {
          return id;
        }
        if (runcName == null) {
          runcName = runcName(path);
        }
      }
    }
    return Optional.ofNullable(runcName);
  }

  private static String path(String line) {
    int first = line.indexOf(':');
    int second = first < 0 ? -1 : line.indexOf(':', first + 1);
    return second < 0 ? "" : line.substring(second + 1);
  }

  /** The last segment holding a 64-hex id, with the runtime's prefix and {@code .scope} removed. */
  private static Optional<String> hexId(String path) {
    int end = path.length();
    while (end > 0) {
      int start = path.lastIndexOf('/', end - 1) + 1;
      String segment = path.substring(start, end);
      if (segment.endsWith(".scope")) {
        segment = segment.substring(0, segment.length() - ".scope".length());
      }
      if (segment.length() >= ID_LENGTH) {
        String candidate = segment.substring(segment.length() - ID_LENGTH);
        boolean prefixed = segment.length() == ID_LENGTH || segment.charAt(segment.length() - ID_LENGTH - 1) == '-';
        if (prefixed && isHex(candidate) && !segment.startsWith("crio-conmon-")) {
          return Optional.of(candidate);
        }
      }
      end = start - 1;
    }
    return Optional.empty();
  }

  private static String runcName(String path) {
    if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
      return null;
    }
    String name = path.substring(1);
    if (name.endsWith(".scope") || name.endsWith(".service") || name.endsWith(".slice") || name.endsWith(".mount")
        || !name.matches("[A-Za-z0-9][A-Za-z0-9_.+-]*")) {
      return null;
    }
    return name;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
