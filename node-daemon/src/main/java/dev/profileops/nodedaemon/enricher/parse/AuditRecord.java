package dev.profileops.nodedaemon.enricher.parse;

import java.util.Map;

/**
 * One audit record as the kernel (or auditd) wrote it: its type, the event's time and serial from
 * {@code audit(<sec>.<ms>:<serial>)}, and its {@code key=value} fields with quotes removed and
 * hex-encoded strings decoded. SELinux AVCs also carry their verdict and permission set.
 */
public record AuditRecord(
    RecordType type, long epochMillis, long serial, Map<String, String> fields, AvcHeader avc) {

  /** {@code avc:  denied  { read write }}: the verdict and the permissions, in the line's order. */
  public record AvcHeader(String verdict, java.util.List<String> permissions) {}

  public String field(String name) {
    return fields.get(name);
  }
}
