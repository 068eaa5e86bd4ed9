package dev.profileops.syncer.validate;

/**
 * One thing wrong (or worth a warning) in a profile repository, printed as
 * {@code file:line: field: message} with the file relative to the repository's source path.
 */
public record Problem(Severity severity, String file, int line, String field, String message) {

  public enum Severity { ERROR, WARNING }

  public static Problem error(String file, int line, String field, String message) {
    return new Problem(Severity.ERROR, file, line, field, message);
  }

  public static Problem warning(String file, int line, String field, String message) {
    return new Problem(Severity.WARNING, file, line, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    String prefix = severity == Severity.WARNING ? "warning: " : "";
    return prefix + file + ":" + line + ": " + (field == null || field.isEmpty() ? "-" : field) + ": " + message;
  }
}
