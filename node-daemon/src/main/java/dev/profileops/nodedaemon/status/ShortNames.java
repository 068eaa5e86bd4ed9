package dev.profileops.nodedaemon.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and label values the daemon makes up from others ({@code <profile>-<node>},
 * {@code <recording>-<container>-<pod>}), kept within Kubernetes' limits: a value over the limit is
 * cut and made unique again with a short hash of the whole.
 */
public final class ShortNames {
  /** Object names (DNS-1123 subdomains). */
  public static final int MAX_OBJECT_NAME = 253;
  /** Label values. */
  public static final int MAX_LABEL_VALUE = 63;
  private static final int HASH_LENGTH = 10;

  private ShortNames() {}

  /** The value itself when within {@code max}, else its start, a dash, and a hash of all of it. */
  public static String fit(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    String prefix = trimTrailingSeparators(value.substring(0, max - HASH_LENGTH - 1));
    return prefix + "-" + hash(value);
  }

  private static String trimTrailingSeparators(String text) {
    int end = text.length();
    while (end > 0 && !Character.isLetterOrDigit(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
