package dev.profileops.syncer.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Checks a commit's signature against a {@link TrustedKeys} set, and only against it: neither the
 * user's GnuPG keyring nor git's allowed-signers configuration plays a part.
 *
 * <p>OpenPGP signatures ({@code git commit -S}) are verified with BouncyCastle; SSH signatures
 * ({@code gpg.format=ssh}, the sshsig format in namespace {@code git}) with the JDK's Ed25519, ECDSA
 * and RSA. JGit's own verifiers are not used because they look keys up in {@code ~/.gnupg} and in the
 * allowed-signers file named by the git config. The signed payload is the raw commit without its
 * {@code gpgsig} header, as git signs it. X.509 (gpgsm) signatures are reported as not supported.
 *
 * <p>Stateless and thread-safe; the clock decides whether a key has expired.
 */
public final class CommitVerifier {
  private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);
  private static final String PGP_BEGIN = "-----BEGIN PGP SIGNATURE-----";
  private static final String X509_BEGIN = "-----BEGIN SIGNED MESSAGE-----";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final Clock clock;

  public CommitVerifier() {
    this(Clock.systemUTC());
  }

  public CommitVerifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * Verifies the signature of {@code commit} (an annotated tag is peeled to its commit).
   *
   * @throws IOException when the commit cannot be read from {@code repo}
   */
  public Verification verify(Repository repo, ObjectId commit, TrustedKeys keys) throws IOException {
    RevCommit c;
    try (RevWalk walk = new RevWalk(repo)) {
      c = walk.parseCommit(commit);
    }
    String what = "commit " + c.getId().abbreviate(7).name();
    byte[] signature = c.getRawGpgSignature();
    if (signature == null) {
      return Verification.rejected(null, what + " is not signed");
    }
    byte[] payload = signedPayload(c.getRawBuffer());
    String armored = new String(signature, StandardCharsets.US_ASCII).strip();
    if (armored.startsWith(PGP_BEGIN)) {
      return verifyOpenPgp(what, signature, payload, keys);
    }
    if (armored.startsWith(SshSignature.BEGIN)) {
      return verifySsh(what, armored, payload, keys);
    }
    if (armored.startsWith(X509_BEGIN)) {
      return Verification.rejected(null, what + " has an X.509 signature; only OpenPGP and SSH signatures are supported");
    }
    return Verification.rejected(null, what + " has a signature in an unknown format");
  }

  /** The raw commit without its gpgsig header (and that header's continuation lines): what git signed. */
  static byte[] signedPayload(byte[] raw) {
    int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
    if (start < 0) {
      return raw;
    }
    int end = RawParseUtils.nextLfSkippingSplitLines(raw, start); // on the header's last LF
    if (end < raw.length) {
      end++;
    }
    start -= GPGSIG.length + 1; // back to the start of "gpgsig "
    byte[] out = new byte[raw.length - (end - start)];
    System.arraycopy(raw, 0, out, 0, start);
    System.arraycopy(raw, end, out, start, raw.length - end);
    return out;
  }

  private Verification verifyOpenPgp(String what, byte[] armored, byte[] payload, TrustedKeys keys) {
    List<PGPSignature> signatures = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object o;
      while ((o = factory.nextObject()) != null) {
        if (o instanceof PGPSignatureList list) {
          list.forEach(signatures::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Verification.rejected(null, what + " has an unreadable OpenPGP signature: " + e.getMessage());
    }
    if (signatures.isEmpty()) {
      return Verification.rejected(null, what + " has an OpenPGP signature block without a signature");
    }
    Verification first = null;
    for (PGPSignature sig : signatures) {
      Verification v = verifyOne(what, sig, payload, keys);
      if (v.trusted()) {
        return v;
      }
      if (first == null) {
        first = v;
      }
    }
    return first;
  }

  private Verification verifyOne(String what, PGPSignature sig, byte[] payload, TrustedKeys keys) {
    List<KeyIdentifier> ids = sig.getKeyIdentifiers();
    byte[] issuerFingerprint = ids.stream().map(KeyIdentifier::getFingerprint).filter(f -> f != null)
        .findFirst().orElse(null);
    long issuerKeyId = sig.getKeyID() != 0 ? sig.getKeyID()
        : ids.stream().mapToLong(KeyIdentifier::getKeyId).filter(k -> k != 0).findFirst().orElse(0L);
    String keyId = "0x" + HEX.formatHex(TrustedKeys.longBytes(issuerKeyId));
    String claimed = issuerFingerprint != null ? HEX.formatHex(issuerFingerprint) : keyId;

    List<TrustedKeys.OpenPgpKey> candidates = new ArrayList<>();
    if (issuerFingerprint != null) {
      keys.openPgpKey(issuerFingerprint).ifPresent(candidates::add);
    }
    if (candidates.isEmpty() && issuerKeyId != 0) {
      candidates.addAll(keys.openPgpKeys(issuerKeyId));
    }
    if (candidates.isEmpty()) {
      String named = issuerKeyId == 0 ? "an unnamed OpenPGP key" : "unknown OpenPGP key " + keyId;
      return Verification.rejected(claimed, what + " is signed by " + named
          + (issuerFingerprint != null ? " (fingerprint " + claimed + ")" : ""));
    }
    if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT
        && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      return Verification.rejected(claimed, what + " has a bad signature: OpenPGP signature type "
          + sig.getSignatureType() + " is not a document signature");
    }
    Verification bad = null;
    for (TrustedKeys.OpenPgpKey key : candidates) {
      boolean good;
      try {
        sig.init(new BcPGPContentVerifierBuilderProvider(), key.key());
        sig.update(payload);
        good = sig.verify();
      } catch (PGPException | RuntimeException e) {
        good = false;
      }
      if (!good) {
        if (bad == null) {
          bad = Verification.rejected(key.fingerprint(), what + " has a bad signature: it does not match the commit"
              + " (OpenPGP key " + key.describe() + ")");
        }
        continue;
      }
      return judge(what, sig, key);
    }
    return bad;
  }

  private Verification judge(String what, PGPSignature sig, TrustedKeys.OpenPgpKey key) {
    String signer = key.fingerprint();
    if (key.unusable() != null) {
      return Verification.rejected(signer, what + " is signed by OpenPGP key " + key.describe()
          + ", which is " + key.unusable());
    }
    Instant now = clock.instant();
    Instant created = sig.getCreationTime().toInstant();
    if (created.isBefore(key.key().getCreationTime().toInstant())) {
      return Verification.rejected(signer, what + " has a bad signature: made before OpenPGP key "
          + key.describe() + " existed");
    }
    if (key.expires() != null && !now.isBefore(key.expires())) {
      return Verification.rejected(signer, what + " is signed by OpenPGP key " + key.describe()
          + ", which expired " + key.expires());
    }
    long sigValid = sig.getHashedSubPackets() == null ? 0 : sig.getHashedSubPackets().getSignatureExpirationTime();
    if (sigValid > 0 && !now.isBefore(created.plusSeconds(sigValid))) {
      return Verification.rejected(signer, what + " has an OpenPGP signature that expired "
          + created.plusSeconds(sigValid));
    }
    return Verification.good(signer, what + " is signed by trusted OpenPGP key " + key.describe());
  }

  private Verification verifySsh(String what, String armored, byte[] payload, TrustedKeys keys) {
    SshSignature sig;
    try {
      sig = SshSignature.parse(armored);
    } catch (IllegalArgumentException e) {
      return Verification.rejected(null, what + " has an unreadable SSH signature: " + e.getMessage());
    }
    String claimed = fingerprint(sig.publicKey());
    if (!"git".equals(sig.namespace())) {
      return Verification.rejected(claimed, what + " has an SSH signature for namespace \"" + sig.namespace()
          + "\", not \"git\"");
    }
    Optional<SshPublicKey> trusted = keys.sshKey(sig.publicKey());
    if (trusted.isEmpty()) {
      return Verification.rejected(claimed, what + " is signed by unknown SSH key " + claimed
          + " (" + sig.keyType() + ")");
    }
    SshPublicKey key = trusted.get();
    boolean good;
    String detail = "it does not match the commit";
    try {
      good = key.verify(sig.signature(), sig.signedData(payload));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      good = false;
      detail = e.getMessage();
    }
    if (!good) {
      return Verification.rejected(claimed, what + " has a bad signature: " + detail + " (SSH key " + key.describe() + ")");
    }
    return Verification.good(claimed, what + " is signed by trusted SSH key " + key.describe());
  }

  private static String fingerprint(byte[] blob) {
    try {
      return "SHA256:" + Base64.getEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
