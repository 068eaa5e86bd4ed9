package dev.profileops.syncer.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * An armored OpenSSH signature ({@code -----BEGIN SSH SIGNATURE-----}, the "sshsig" format of
 * OpenSSH's PROTOCOL.sshsig) as {@code ssh-keygen -Y sign} writes it for git.
 *
 * <p>The signer signs {@code "SSHSIG" || string namespace || string reserved || string hash_algorithm
 * || string H(message)}, not the message itself.
 */
record SshSignature(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {
  static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  private static final String END = "-----END SSH SIGNATURE-----";
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);

  /**
   * Parses the armored text.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static SshSignature parse(String armored) {
    String text = armored.strip();
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin != 0 || end < 0) {
      throw new IllegalArgumentException("no " + BEGIN + " ... " + END + " block");
    }
    byte[] raw;
    try {
      raw = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), end).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SSH signature is not valid base64", e);
    }
    if (raw.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(raw, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("SSH signature does not start with SSHSIG");
    }
    SshWire.Reader r = new SshWire.Reader(Arrays.copyOfRange(raw, MAGIC.length, raw.length));
    int version = r.uint32();
    if (version != 1) {
      throw new IllegalArgumentException("SSH signature version " + version + " is not supported");
    }
    byte[] publicKey = r.string();
    String namespace = r.utf8();
    r.string(); // reserved
    String hashAlgorithm = r.utf8();
    byte[] signature = r.string();
    if (!r.atEnd()) {
      throw new IllegalArgumentException("trailing data after the SSH signature");
    }
    return new SshSignature(publicKey, namespace, hashAlgorithm, signature);
  }

  /** The key type named in the embedded public key, or "unknown". */
  String keyType() {
    try {
      return new SshWire.Reader(publicKey).utf8();
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }

  /** The bytes the signer signed for {@code message}. */
  byte[] signedData(byte[] message) {
    String digest = switch (hashAlgorithm) {
      case "sha512" -> "SHA-512";
      case "sha256" -> "SHA-256";
      default -> throw new IllegalArgumentException("SSH signature hash algorithm " + hashAlgorithm + " is not supported");
    };
    byte[] hash;
    try {
      hash = MessageDigest.getInstance(digest).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new SshWire.Writer().raw(MAGIC).string(namespace).string(new byte[0]).string(hashAlgorithm)
        .string(hash).toByteArray();
  }
}
