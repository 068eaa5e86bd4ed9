package dev.profileops.nodedaemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** For the tests on real runc containers: the id the kubelet would report for a container's process. */
public final class CgroupLeaf {
  private CgroupLeaf() {}

  /** The last path segment of the process's cgroup: runc names it after the container. */
  public static String of(long pid) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
    String line = lines.stream().filter(l -> l.startsWith("0::")).findFirst().orElse(lines.get(0));
    String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
