package dev.profileops.syncer.verify;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * One SSH public key in OpenSSH's wire form ({@code blob}, the base64 part of an authorized_keys line)
 * turned into a JDK key. Ed25519, ECDSA (nistp256/384/521) and RSA keys are supported: the ones
 * {@code ssh-keygen -Y sign} makes git commit signatures with, security keys ({@code sk-*}) and
 * certificates aside.
 */
record SshPublicKey(String type, byte[] blob, PublicKey key, String comment) {
  static final String ED25519 = "ssh-ed25519";
  static final String RSA = "ssh-rsa";

  /** ECDSA key type → JDK curve name, field size in bytes, JDK signature algorithm. */
  private static final Map<String, Curve> CURVES = Map.of(
      "ecdsa-sha2-nistp256", new Curve("nistp256", "secp256r1", 32, "SHA256withECDSAinP1363Format"),
      "ecdsa-sha2-nistp384", new Curve("nistp384", "secp384r1", 48, "SHA384withECDSAinP1363Format"),
      "ecdsa-sha2-nistp521", new Curve("nistp521", "secp521r1", 66, "SHA512withECDSAinP1363Format"));

  private record Curve(String sshName, String jdkName, int size, String signatureAlgorithm) {}

  /** A key type this class can verify signatures of. */
  static boolean isSupported(String type) {
    return ED25519.equals(type) || RSA.equals(type) || CURVES.containsKey(type);
  }

  /** A key type OpenSSH knows, whether or not it is supported here. */
  static boolean isKnownType(String type) {
    return isSupported(type) || type.startsWith("sk-") || type.startsWith("ssh-") || type.startsWith("ecdsa-sha2-");
  }

  /**
   * Decodes a key blob.
   *
   * @throws IllegalArgumentException naming what is wrong: an unsupported type, a malformed blob
   */
  static SshPublicKey parse(byte[] blob, String comment) {
    SshWire.Reader r = new SshWire.Reader(blob);
    String type = r.utf8();
    try {
      PublicKey key;
      if (ED25519.equals(type)) {
        byte[] raw = r.string();
        if (raw.length != 32) {
          throw new IllegalArgumentException("Ed25519 key is " + raw.length + " bytes, not 32");
        }
        key = ed25519(raw);
      } else if (RSA.equals(type)) {
        BigInteger e = r.mpint();
        BigInteger n = r.mpint();
        if (n.bitLength() < 1024) {
          throw new IllegalArgumentException("RSA key of " + n.bitLength() + " bits is too short");
        }
        key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      } else if (CURVES.containsKey(type)) {
        Curve curve = CURVES.get(type);
        String name = r.utf8();
        if (!curve.sshName().equals(name)) {
          throw new IllegalArgumentException("key type " + type + " names curve " + name);
        }
        byte[] q = r.string();
        if (q.length != 1 + 2 * curve.size() || q[0] != 4) {
          throw new IllegalArgumentException("ECDSA point is not an uncompressed " + name + " point");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(q, 1, 1 + curve.size()));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(q, 1 + curve.size(), q.length));
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curve.jdkName()));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
      } else {
        throw new IllegalArgumentException("unsupported SSH key type " + type);
      }
      if (!r.atEnd()) {
        throw new IllegalArgumentException("trailing data after the " + type + " key");
      }
      return new SshPublicKey(type, blob.clone(), key, comment);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid " + type + " key: " + e.getMessage(), e);
    }
  }

  private static PublicKey ed25519(byte[] littleEndian) throws GeneralSecurityException {
    // RFC 8032 5.1.2: y little-endian, the top bit of the last byte is the parity of x
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = littleEndian[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }

  /** OpenSSH's fingerprint, as {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded base64. */
  String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fingerprint, with the comment when there is one. */
  String describe() {
    return comment == null || comment.isBlank() ? fingerprint() : fingerprint() + " (" + comment + ")";
  }

  /**
   * Verifies an SSH signature blob ({@code string algorithm, string signature}) over {@code data}.
   *
   * @return false for a signature that does not verify; throws for one that cannot belong to this key
   */
  boolean verify(byte[] signatureBlob, byte[] data) throws GeneralSecurityException {
    SshWire.Reader r = new SshWire.Reader(signatureBlob);
    String algorithm = r.utf8();
    byte[] sig = r.string();
    if (!r.atEnd()) {
      throw new IllegalArgumentException("trailing data after the signature");
    }
    java.security.Signature verifier;
    byte[] signature;
    if (ED25519.equals(type)) {
      requireAlgorithm(algorithm, ED25519);
      verifier = java.security.Signature.getInstance("Ed25519");
      signature = sig;
    } else if (RSA.equals(type)) {
      // sshsig forbids SHA-1 ("ssh-rsa") signatures
      verifier = switch (algorithm) {
        case "rsa-sha2-512" -> java.security.Signature.getInstance("SHA512withRSA");
        case "rsa-sha2-256" -> java.security.Signature.getInstance("SHA256withRSA");
        default -> throw new IllegalArgumentException("RSA signature algorithm " + algorithm + " is not accepted");
      };
      signature = sig;
    } else {
      Curve curve = CURVES.get(type);
      requireAlgorithm(algorithm, type);
      SshWire.Reader rs = new SshWire.Reader(sig);
      BigInteger rr = rs.mpint();
      BigInteger ss = rs.mpint();
      if (rr.signum() <= 0 || ss.signum() <= 0) {
        return false;
      }
      signature = new byte[2 * curve.size()];
      if (!fixed(rr, signature, 0, curve.size()) || !fixed(ss, signature, curve.size(), curve.size())) {
        return false;
      }
      verifier = java.security.Signature.getInstance(curve.signatureAlgorithm());
    }
    verifier.initVerify(key);
    verifier.update(data);
    try {
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  private void requireAlgorithm(String algorithm, String expected) {
    if (!expected.equals(algorithm)) {
      throw new IllegalArgumentException("signature algorithm " + algorithm + " does not fit a " + type + " key");
    }
  }

  private static boolean fixed(BigInteger v, byte[] out, int offset, int size) {
    byte[] b = v.toByteArray();
    int start = 0;
    while (start < b.length - 1 && b[start] == 0) {
      start++;
    }
    int len = b.length - start;
    if (len > size) {
      return false;
    }
    System.arraycopy(b, start, out, offset + size - len, len);
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SshPublicKey other && Arrays.equals(blob, other.blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }

  @Override
  public String toString() {
    return type + " " + describe();
  }
}
