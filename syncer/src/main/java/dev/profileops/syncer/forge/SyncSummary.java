package dev.profileops.syncer.forge;

import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.validate.Problem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How one attempted revision ended, as far as its commit status tells: applied (how many objects),
 * refused for errors in the repository's files, or broken off by something else (fetch, cluster).
 *
 * <p>{@link #toCommitStatus()}: success is "applied N objects"; errors are FAILURE "N errors: " and
 * the first {@value #ERRORS_SHOWN} as {@code file:line: message}; anything else is ERROR with its
 * message. Each reporter cuts the description to its forge's limit.
 */
public record SyncSummary(int appliedObjects, List<Problem> errors, Optional<String> failure) {
  public static final int ERRORS_SHOWN = 3;

  public SyncSummary {
    if (appliedObjects < 0) {
      throw new IllegalArgumentException("appliedObjects < 0: " + appliedObjects);
    }
    errors = List.copyOf(Objects.requireNonNull(errors, "errors")).stream().filter(Problem::isError).toList();
    failure = failure == null ? Optional.empty() : failure.filter(message -> !message.isBlank());
  }

  public static SyncSummary applied(int objects) {
    return new SyncSummary(objects, List.of(), Optional.empty());
  }

  /** The revision's files had errors (warnings among {@code problems} are dropped). */
  public static SyncSummary invalid(List<Problem> problems) {
    SyncSummary outcome = new SyncSummary(0, problems, Optional.empty());
    if (outcome.errors().isEmpty()) {
      throw new IllegalArgumentException("no errors among the problems given");
    }
    return outcome;
  }

  /** The attempt broke off for a reason other than the files: fetch, cluster, anything unexpected. */
  public static SyncSummary failed(String message) {
    return new SyncSummary(0, List.of(), Optional.of(message == null || message.isBlank() ? "unknown error" : message));
  }

  /** The errors of {@code load} if it has any, else {@code appliedObjects} applied. */
  public static SyncSummary of(LoadResult load, int appliedObjects) {
    return load.hasErrors() ? new SyncSummary(appliedObjects, load.errors(), Optional.empty()) : applied(appliedObjects);
  }

  public boolean succeeded() {
    return failure.isEmpty() && errors.isEmpty();
  }

  public CommitStatus toCommitStatus() {
    if (failure.isPresent()) {
      return CommitStatus.error("sync failed: " + failure.get());
    }
    if (!errors.isEmpty()) {
      String shown = errors.stream().limit(ERRORS_SHOWN).map(SyncSummary::describe).collect(Collectors.joining("; "));
      return CommitStatus.failure(errors.size() + (errors.size() == 1 ? " error: " : " errors: ") + shown);
    }
    return CommitStatus.success("applied " + appliedObjects + (appliedObjects == 1 ? " object" : " objects"));
  }

  /** {@code file:line: message}; without the line when it is unknown (0). */
  static String describe(Problem problem) {
    String file = problem.file() == null || problem.file().isEmpty() ? "-" : problem.file();
    String where = problem.line() > 0 ? file + ":" + problem.line() : file;
    return where + ": " + problem.message();
  }
}
