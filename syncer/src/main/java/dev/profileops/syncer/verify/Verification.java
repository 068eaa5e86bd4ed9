package dev.profileops.syncer.verify;

/**
 * What {@link CommitVerifier} found out about one commit.
 *
 * @param trusted true only for a good signature by a key in the trusted set that is neither revoked
 *     nor expired
 * @param signer the key that made (or claims to have made) the signature: an OpenPGP fingerprint (or
 *     {@code 0x} key id when the signature carries no fingerprint) or an SSH {@code SHA256:}
 *     fingerprint; null for an unsigned commit or an unreadable signature
 * @param reason one sentence for a status or a log, starting with {@code commit <short id>}: e.g.
 *     {@code commit abc1234 is not signed}, {@code commit abc1234 is signed by unknown OpenPGP key
 *     0x...}, {@code commit abc1234 has a bad signature ...}
 */
public record Verification(boolean trusted, String signer, String reason) {
  static Verification good(String signer, String reason) {
    return new Verification(true, signer, reason);
  }

  static Verification rejected(String signer, String reason) {
    return new Verification(false, signer, reason);
  }
}
