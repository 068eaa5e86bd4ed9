package dev.profileops.syncer.forge;

import java.util.Objects;
import java.util.Optional;

/**
 * The status of one attempted revision, as the forges show it next to the commit. The description
 * is kept on one line; each reporter shortens it to its forge's limit ({@link Forge#maxDescriptionLength()}).
 */
public record CommitStatus(State state, String description, String context, Optional<String> targetUrl) {

  /** What ProfileOps' statuses are called on the forge unless configured otherwise. */
  public static final String DEFAULT_CONTEXT = "profileops/sync";

  /** The common states; each reporter maps them to its forge's words. */
  public enum State { PENDING, SUCCESS, FAILURE, ERROR }

  public CommitStatus {
    Objects.requireNonNull(state, "state");
    description = description == null ? "" : oneLine(description);
    context = context == null || context.isBlank() ? DEFAULT_CONTEXT : context.strip();
    targetUrl = targetUrl == null ? Optional.empty() : targetUrl.map(String::strip).filter(url -> !url.isEmpty());
  }

  public CommitStatus(State state, String description) {
    this(state, description, DEFAULT_CONTEXT, Optional.empty());
  }

  public static CommitStatus pending(String description) {
    return new CommitStatus(State.PENDING, description);
  }

  public static CommitStatus success(String description) {
    return new CommitStatus(State.SUCCESS, description);
  }

  public static CommitStatus failure(String description) {
    return new CommitStatus(State.FAILURE, description);
  }

  public static CommitStatus error(String description) {
    return new CommitStatus(State.ERROR, description);
  }

  public CommitStatus withContext(String newContext) {
    return new CommitStatus(state, description, newContext, targetUrl);
  }

  public CommitStatus withTargetUrl(String url) {
    return new CommitStatus(state, description, context, Optional.ofNullable(url));
  }

  /** The description cut to at most {@code maxChars} characters, ending in "..." when cut. */
  public String description(int maxChars) {
    return shorten(description, maxChars);
  }

  /**
   * {@code text} when it fits in {@code maxChars} characters; else its start and "...", never splitting
   * a surrogate pair (Java counts UTF-16 units, at least as many as the code points the forges count).
   */
  public static String shorten(String text, int maxChars) {
    if (maxChars < 4) {
      throw new IllegalArgumentException("maxChars must be at least 4: " + maxChars);
    }
    if (text.length() <= maxChars) {
      return text;
    }
    int cut = maxChars - 3;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut).stripTrailing() + "...";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ").replace('\t', ' ');
  }
}
