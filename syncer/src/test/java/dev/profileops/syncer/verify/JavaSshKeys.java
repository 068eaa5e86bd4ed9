package dev.profileops.syncer.verify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * SSH keys and sshsig signatures made with the JDK alone, for tests that must run without ssh-keygen
 * and for cases ssh-keygen will not produce (another namespace, a forged algorithm).
 */
final class JavaSshKeys {
  private JavaSshKeys() {}

  record Key(String type, KeyPair pair, byte[] blob) {
    String authorizedKeysLine(String comment) {
      return type + " " + Base64.getEncoder().encodeToString(blob) + (comment == null ? "" : " " + comment);
    }
  }

  static Key ed25519() throws GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    EdECPublicKey pub = (EdECPublicKey) pair.getPublic();
    byte[] be = pub.getPoint().getY().toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      le[i] = be[be.length - 1 - i];
    }
    if (pub.getPoint().isXOdd()) {
      le[31] |= (byte) 0x80;
    }
    return new Key("ssh-ed25519", pair, new SshWire.Writer().string("ssh-ed25519").string(le).toByteArray());
  }

  static Key ecdsaP256() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    byte[] q = new byte[65];
    q[0] = 4;
    fixed(pub.getW().getAffineX(), q, 1, 32);
    fixed(pub.getW().getAffineY(), q, 33, 32);
    byte[] blob = new SshWire.Writer().string("ecdsa-sha2-nistp256").string("nistp256").string(q).toByteArray();
    return new Key("ecdsa-sha2-nistp256", pair, blob);
  }

  /** An armored sshsig signature of {@code message} as {@code ssh-keygen -Y sign -n namespace} makes it. */
  static String sign(Key key, String namespace, byte[] message) throws GeneralSecurityException {
    SshSignature unsigned = new SshSignature(key.blob(), namespace, "sha512", new byte[0]);
    byte[] data = unsigned.signedData(message);
    byte[] sigBlob;
    if (key.type().equals("ssh-ed25519")) {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key.pair().getPrivate());
      s.update(data);
      sigBlob = new SshWire.Writer().string("ssh-ed25519").string(s.sign()).toByteArray();
    } else {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key.pair().getPrivate());
      s.update(data);
      byte[] rs = s.sign();
      byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)).toByteArray();
      byte[] ss = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)).toByteArray();
      byte[] inner = new SshWire.Writer().string(r).string(ss).toByteArray();
      sigBlob = new SshWire.Writer().string(key.type()).string(inner).toByteArray();
    }
    byte[] raw = new SshWire.Writer().raw("SSHSIG".getBytes(StandardCharsets.US_ASCII)).uint32(1).string(key.blob())
        .string(namespace).string(new byte[0]).string("sha512").string(sigBlob).toByteArray();
    String b64 = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(raw);
    return "-----BEGIN SSH SIGNATURE-----\n" + b64 + "\n-----END SSH SIGNATURE-----\n";
  }

  private static void fixed(BigInteger v, byte[] out, int offset, int size) {
    byte[] b = v.toByteArray();
    int start = b.length > size ? b.length - size : 0;
    System.arraycopy(b, start, out, offset + size - (b.length - start), b.length - start);
  }
}
