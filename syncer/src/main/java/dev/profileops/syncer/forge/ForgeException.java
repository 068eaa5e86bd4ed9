package dev.profileops.syncer.forge;

import java.util.OptionalInt;

/**
 * A commit status the forge did not take: it answered with a non-2xx code, or could not be reached.
 * The message names the forge, the repository and commit, the HTTP code and a short excerpt of the
 * answer; never the token.
 */
public class ForgeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Forge forge;
  private final int statusCode;
  private final String bodyExcerpt;

  public ForgeException(Forge forge, int statusCode, String bodyExcerpt, String message) {
    super(message);
    this.forge = forge;
    this.statusCode = statusCode;
    this.bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
  }

  public ForgeException(Forge forge, String message, Throwable cause) {
    super(message, cause);
    this.forge = forge;
    this.statusCode = -1;
    this.bodyExcerpt = "";
  }

  public Forge forge() {
    return forge;
  }

  /** The HTTP status code the forge answered with; empty when there was no answer. */
  public OptionalInt statusCode() {
    return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /** The start of what the forge answered (its error message where it sent JSON); empty when none. */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
