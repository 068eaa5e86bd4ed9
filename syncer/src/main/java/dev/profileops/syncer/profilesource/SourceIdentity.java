package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The value of the {@code profileops.dev/source} label that marks what one ProfileSource owns. */
public final class SourceIdentity {
  private static final int MAX_LABEL_VALUE = 63;

  private SourceIdentity() {}

  /** {@code <namespace>.<name>}, or a stable hash of it where that is too long for a label value. */
  public static String labelValue(ProfileSource source) {
    String id = source.getMetadata().getNamespace() + "." + source.getMetadata().getName();
    if (id.length() <= MAX_LABEL_VALUE) {
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return id.substring(0, MAX_LABEL_VALUE - 17) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
