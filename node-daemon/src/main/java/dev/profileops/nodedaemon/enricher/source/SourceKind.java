package dev.profileops.nodedaemon.enricher.source;

/** Which log the enricher reads; {@code auto} picks one with {@link SourceDetector}. */
public enum SourceKind {
  AUTO, AUDITD, KMSG, SYSLOG;

  /** {@code auto|auditd|kmsg|syslog}, as the CLI and SPO's {@code logEnricherSource} spell them. */
  public static SourceKind parse(String name) {
    for (SourceKind kind : values()) {
      if (kind.name().equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown log source '" + name + "' (auto, auditd, kmsg or syslog)");
  }
}
