package dev.profileops.nodedaemon.enricher.parse;

/**
 * What the parser made of one line: a record, a line of another kind (most of a log), or a malformed
 * line with the field and reason, so it can be counted and skipped.
 */
public sealed interface ParseOutcome {
  ParseOutcome IGNORED = new Ignored();

  record Parsed(AuditRecord record) implements ParseOutcome {}

  record Ignored() implements ParseOutcome {}

  record Malformed(String field, String reason) implements ParseOutcome {
    @Override
    public String toString() {
      return field.isEmpty() ? reason : "field " + field + ": " + reason;
    }
  }
}
