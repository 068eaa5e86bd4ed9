package dev.profileops.nodedaemon.enricher.parse;

/**
 * Counts what parsing saw; the last malformed line's reason is kept for the log. One reader thread
 * writes these, anyone may read them.
 */
public final class ParseStats {
  private volatile long lines;
  private volatile long events;
  private volatile long malformed;
  private volatile String lastMalformed = "";

  void line() {
    lines++;
  }

  void event() {
    events++;
  }

  void malformed(String where, ParseOutcome.Malformed reason) {
    malformed++;
    lastMalformed = where + ": " + reason;
  }

  public long lines() {
    return lines;
  }

  public long events() {
    return events;
  }

  public long malformed() {
    return malformed;
  }

  /** e.g. {@code /var/log/audit/audit.log:1234: field pid: not a number}, empty when none yet. */
  public String lastMalformed() {
    return lastMalformed;
  }
}
