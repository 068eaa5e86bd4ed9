package dev.profileops.syncer.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared webhook secret, and the two ways forges prove they know it: an HMAC-SHA256 of the body (GitHub,
 * Gitea) or the secret itself as a token (GitLab). Every comparison is {@link MessageDigest#isEqual} on two
 * 32-byte MACs, so neither the time taken nor an early exit tells a caller how much of its guess was right,
 * nor how long the secret is. The secret is never in a string, a log line or an exception message.
 */
final class WebhookSecret {
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final int MAC_BYTES = 32;

  private final SecretKeySpec key;
  /** The token GitLab must send, as HMAC(secret, secret): compared MAC to MAC, like the signatures. */
  private final byte[] tokenMac;

  WebhookSecret(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("the webhook secret must not be empty");
    }
    key = new SecretKeySpec(secret, HMAC_SHA256); // copies the bytes
    tokenMac = mac(secret);
  }

  /** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the body. */
  boolean verifyPrefixedSignature(String header, byte[] body) {
    String prefix = "sha256=";
    if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    return verifyHexSignature(header.substring(prefix.length()), body);
  }

  /** Gitea's {@code X-Gitea-Signature}: the hex HMAC-SHA256 of the body, no prefix. */
  boolean verifyHexSignature(String hex, byte[] body) {
    if (hex == null || hex.trim().length() != 2 * MAC_BYTES) {
      return false;
    }
    byte[] claimed;
    try {
      claimed = HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(body), claimed);
  }

  /** GitLab's {@code X-Gitlab-Token}: the secret itself. */
  boolean verifyToken(String token) {
    if (token == null) {
      return false;
    }
    return MessageDigest.isEqual(mac(token.getBytes(StandardCharsets.UTF_8)), tokenMac);
  }

  /** HMAC-SHA256 of {@code message} under the secret. */
  byte[] mac(byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256); // not thread-safe: one per call, cheap next to the request
      mac.init(key);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
