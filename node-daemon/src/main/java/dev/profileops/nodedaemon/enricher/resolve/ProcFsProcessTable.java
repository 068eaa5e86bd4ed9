package dev.profileops.nodedaemon.enricher.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** {@link ProcessTable} on a {@code /proc} file system (the host's, or a copy of its layout). */
public final class ProcFsProcessTable implements ProcessTable {
  private final Path proc;
  private final String procPrefix;

  public ProcFsProcessTable(Path proc) {
    this.proc = proc;
    this.procPrefix = proc + "/";
  }

  public static ProcFsProcessTable system() {
    return new ProcFsProcessTable(Path.of("/proc"));
  }

  @Override
  public OptionalLong startTime(long pid) {
    String stat;
    String file = procPrefix + pid + "/stat";
    // most pids of old lines are gone: a stat(2) answers that without the cost of an exception
    if (!new java.io.File(file).exists()) {
      return OptionalLong.empty();
    }
    try {
      stat = Files.readString(Path.of(file));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    // comm (field 2) may hold spaces and parentheses: count fields after its last ')'
    int at = stat.lastIndexOf(')');
    if (at < 0) {
      return OptionalLong.empty();
    }
    String[] rest = stat.substring(at + 2).split(" ");
    // rest[0] is field 3 (state), so field 22 is rest[19]
    if (rest.length < 20) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(rest[19]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public List<String> cgroups(long pid) {
    try {
      return Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
    } catch (IOException e) {
      return List.of();
    }
  }
}
