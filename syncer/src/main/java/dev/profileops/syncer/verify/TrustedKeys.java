package dev.profileops.syncer.verify;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The keys whose signatures make a commit trusted, read from a Kubernetes Secret's data: every value
 * may hold ASCII-armored OpenPGP public key blocks ({@code gpg --export --armor}, one or many keys per
 * block, binary exports too) and SSH public keys one a line, as in authorized_keys
 * ({@code ssh-ed25519 AAAA... comment}, options before the key allowed) or allowed_signers (a
 * principal before the key). Blank lines and {@code #} comments are skipped.
 *
 * <p>Nothing here throws on bad input: each entry that cannot be used is left out and named in
 * {@link #problems()} (the data key, the line or block, and the key when it is known), so a status can
 * show it. OpenPGP subkeys count only with a valid binding signature from their primary key; revoked
 * keys are kept so that a signature by one is reported as such, but never trusted.
 */
public final class TrustedKeys {
  private static final String PGP_PUBLIC_BLOCK = "PGP PUBLIC KEY BLOCK";
  private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** One OpenPGP key (primary or subkey) that signatures may name; {@code unusable} says why not, or null. */
  record OpenPgpKey(PGPPublicKey key, PGPPublicKey primary, String userId, Instant expires, String unusable) {
    String keyId() {
      return "0x" + HEX.formatHex(longBytes(key.getKeyID()));
    }

    String fingerprint() {
      return HEX.formatHex(key.getFingerprint());
    }

    String describe() {
      String id = keyId();
      if (key.getKeyID() != primary.getKeyID()) {
        id += " (subkey of 0x" + HEX.formatHex(longBytes(primary.getKeyID())) + ")";
      }
      return userId == null ? id : id + " " + userId;
    }
  }

  private final Map<Long, List<OpenPgpKey>> openPgpByKeyId;
  private final Map<String, OpenPgpKey> openPgpByFingerprint;
  private final Map<ByteBuffer, SshPublicKey> sshByBlob;
  private final List<String> descriptions;
  private final List<String> problems;

  private TrustedKeys(Builder b) {
    this.openPgpByKeyId = Collections.unmodifiableMap(b.openPgpByKeyId);
    this.openPgpByFingerprint = Collections.unmodifiableMap(b.openPgpByFingerprint);
    this.sshByBlob = Collections.unmodifiableMap(b.sshByBlob);
    this.descriptions = List.copyOf(b.descriptions);
    this.problems = List.copyOf(b.problems);
  }

  /** No key at all: every signed commit is signed by an unknown key. */
  public static TrustedKeys none() {
    return new TrustedKeys(new Builder());
  }

  /**
   * Reads a Secret's data with the values already base64-decoded (what {@code Secret.data} holds,
   * decoded). Entries are read in key order, so problems come in a stable order.
   */
  public static TrustedKeys fromSecretData(Map<String, byte[]> data) {
    return read(data, List.of());
  }

  /** Reads a fabric8 Secret: {@code data} (base64) and {@code stringData}, the latter winning. */
  public static TrustedKeys fromSecret(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> {
        try {
          data.put(k, Base64.getDecoder().decode(v == null ? "" : v.replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
          problems.add(k + ": value is not base64: " + e.getMessage());
        }
      });
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
    }
    return read(data, problems);
  }

  private static TrustedKeys read(Map<String, byte[]> data, List<String> earlierProblems) {
    Builder b = new Builder();
    b.problems.addAll(earlierProblems);
    if (data == null || data.isEmpty()) {
      b.problems.add("the Secret holds no data; no key is trusted");
      return new TrustedKeys(b);
    }
    new TreeMap<>(data).forEach(b::read);
    if (b.descriptions.isEmpty()) {
      b.problems.add("no usable key in the Secret; no key is trusted");
    }
    return new TrustedKeys(b);
  }

  /** What could not be used, one line each, naming the data key and the entry. Empty when all is well. */
  public List<String> problems() {
    return problems;
  }

  /** One line per trusted key: {@code OpenPGP 0x... (fingerprint) user id} or {@code SSH SHA256:... (comment)}. */
  public List<String> keys() {
    return descriptions;
  }

  /** True when no key is trusted. */
  public boolean isEmpty() {
    return descriptions.isEmpty();
  }

  /** The OpenPGP keys (primary or subkey) a signature's issuer key id may stand for. */
  List<OpenPgpKey> openPgpKeys(long keyId) {
    return openPgpByKeyId.getOrDefault(keyId, List.of());
  }

  /** The OpenPGP key (primary or subkey) with this fingerprint. */
  Optional<OpenPgpKey> openPgpKey(byte[] fingerprint) {
    return Optional.ofNullable(openPgpByFingerprint.get(HEX.formatHex(fingerprint)));
  }

  /** The trusted SSH key with exactly this wire blob. */
  Optional<SshPublicKey> sshKey(byte[] blob) {
    return Optional.ofNullable(sshByBlob.get(ByteBuffer.wrap(blob)));
  }

  @Override
  public String toString() {
    return "TrustedKeys" + descriptions + (problems.isEmpty() ? "" : " problems=" + problems);
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static final class Builder {
    final Map<Long, List<OpenPgpKey>> openPgpByKeyId = new LinkedHashMap<>();
    final Map<String, OpenPgpKey> openPgpByFingerprint = new LinkedHashMap<>();
    final Map<ByteBuffer, SshPublicKey> sshByBlob = new LinkedHashMap<>();
    final List<String> descriptions = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    void read(String name, byte[] value) {
      if (value == null || value.length == 0) {
        problems.add(name + ": empty value");
        return;
      }
      String text = utf8(value);
      if (text != null && text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte order mark from an editor
      } else if (text == null || (value[0] & 0x80) != 0) {
        readOpenPgp(name, "binary OpenPGP key data", value);
        return;
      }
      readText(name, text);
    }

    private void readText(String name, String text) {
      String[] lines = text.split("\r?\n|\r", -1);
      int pgpBlocks = 0;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
          String type = line.substring("-----BEGIN ".length(), line.length() - "-----".length());
          String endLine = "-----END " + type + "-----";
          int end = i + 1;
          while (end < lines.length && !lines[end].strip().equals(endLine)) {
            end++;
          }
          if (end == lines.length) {
            problems.add(name + ": line " + (i + 1) + ": " + type + " has no " + endLine + " line; ignored");
            return;
          }
          if (type.equals(PGP_PUBLIC_BLOCK)) {
            pgpBlocks++;
            StringBuilder block = new StringBuilder();
            for (int j = i; j <= end; j++) {
              block.append(lines[j].strip()).append('\n');
            }
            readOpenPgp(name, "OpenPGP key block " + pgpBlocks + " (line " + (i + 1) + ")",
                block.toString().getBytes(StandardCharsets.US_ASCII));
          } else if (type.contains("PRIVATE KEY")) {
            problems.add(name + ": line " + (i + 1) + ": holds a private key (" + type
                + "); only public keys belong here; ignored");
          } else {
            problems.add(name + ": line " + (i + 1) + ": unexpected " + type + " block; ignored");
          }
          i = end;
          continue;
        }
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        readSshLine(name, i + 1, line);
      }
    }

    private void readSshLine(String name, int lineNo, String line) {
      String where = name + ": line " + lineNo + ": ";
      List<String> tokens = tokens(line);
      // the key type is the first token followed by key data of that type (an allowed_signers
      // principal or an option may look like a type too); else the first token that looks like one
      int typeAt = -1;
      for (int i = 0; i + 1 < tokens.size(); i++) {
        if (SshPublicKey.isKnownType(tokens.get(i))) {
          if (typeAt < 0) {
            typeAt = i;
          }
          if (tokens.get(i).equals(blobType(tokens.get(i + 1)))) {
            typeAt = i;
            break;
          }
        }
      }
      if (typeAt < 0) {
        problems.add(where + "neither an SSH public key nor part of an OpenPGP public key block: "
            + abbreviate(line));
        return;
      }
      String type = tokens.get(typeAt);
      String comment = String.join(" ", tokens.subList(typeAt + 2, tokens.size()));
      String label = comment.isEmpty() ? type + " key" : type + " key \"" + comment + "\"";
      String options = String.join(" ", tokens.subList(0, typeAt)).toLowerCase(Locale.ROOT);
      if (options.contains("cert-authority")) {
        problems.add(where + label + " is a certificate authority; SSH certificates are not supported; ignored");
        return;
      }
      for (String limited : List.of("valid-after=", "valid-before=", "expiry-time=")) {
        if (options.contains(limited)) {
          problems.add(where + label + " has option " + limited.substring(0, limited.length() - 1)
              + ", which is not supported; ignored");
          return;
        }
      }
      int ns = options.indexOf("namespaces=\"");
      if (ns >= 0) {
        int close = options.indexOf('"', ns + "namespaces=\"".length());
        String list = options.substring(ns + "namespaces=\"".length(), close < 0 ? options.length() : close);
        if (!List.of(list.split(",")).stream().map(String::strip).toList().contains("git")) {
          problems.add(where + label + " is limited to namespaces \"" + list + "\", not git; ignored");
          return;
        }
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(tokens.get(typeAt + 1));
      } catch (IllegalArgumentException e) {
        problems.add(where + label + ": key data is not base64");
        return;
      }
      SshPublicKey key;
      try {
        key = SshPublicKey.parse(blob, comment);
      } catch (IllegalArgumentException e) {
        problems.add(where + label + ": " + e.getMessage() + "; ignored");
        return;
      }
      if (!key.type().equals(type)) {
        problems.add(where + label + ": the key data is a " + key.type() + " key; ignored");
        return;
      }
      if (sshByBlob.putIfAbsent(ByteBuffer.wrap(key.blob()), key) == null) {
        descriptions.add("SSH " + key.type() + " " + key.describe());
      }
    }

    private static String blobType(String base64) {
      try {
        return new SshWire.Reader(Base64.getDecoder().decode(base64)).utf8();
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    private void readOpenPgp(String name, String what, byte[] data) {
      PGPPublicKeyRingCollection rings;
      try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
        rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      } catch (IOException | PGPException | RuntimeException e) {
        problems.add(name + ": " + what + " is not a readable OpenPGP public key: " + e.getMessage());
        return;
      }
      if (rings.size() == 0) {
        problems.add(name + ": " + what + " holds no public key");
        return;
      }
      for (PGPPublicKeyRing ring : rings) {
        readRing(name, ring);
      }
    }

    private void readRing(String name, PGPPublicKeyRing ring) {
      PGPPublicKey primary = ring.getPublicKey();
      String userId = firstUserId(primary);
      String primaryRevoked = revoked(primary, primary, PGPSignature.KEY_REVOCATION);
      String primaryId = "0x" + HEX.formatHex(longBytes(primary.getKeyID()));
      add(new OpenPgpKey(primary, primary, userId, expiry(primary), primaryRevoked));
      String label = name + ": OpenPGP key " + primaryId + (userId == null ? "" : " " + userId);
      if (primaryRevoked != null) {
        problems.add(label + " is revoked; signatures by it are not trusted");
      } else {
        descriptions.add("OpenPGP " + primaryId + " " + HEX.formatHex(primary.getFingerprint())
            + (userId == null ? "" : " " + userId));
      }
      for (PGPPublicKey sub : ring) {
        if (sub.isMasterKey() || sub.getKeyID() == primary.getKeyID()) {
          continue;
        }
        String subId = "0x" + HEX.formatHex(longBytes(sub.getKeyID()));
        PGPSignature binding = validBinding(primary, sub);
        if (binding == null) {
          problems.add(label + ": subkey " + subId + " has no valid binding signature; ignored");
          continue;
        }
        String unusable = primaryRevoked != null ? primaryRevoked : revoked(primary, sub, PGPSignature.SUBKEY_REVOCATION);
        if (unusable == null && binding.getHashedSubPackets() != null
            && binding.getHashedSubPackets().hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)
            && (binding.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
          unusable = "not a signing key";
        }
        Instant expires = expiry(sub);
        Instant primaryExpires = expiry(primary);
        if (primaryExpires != null && (expires == null || primaryExpires.isBefore(expires))) {
          expires = primaryExpires; // a subkey is good no longer than its primary key
        }
        add(new OpenPgpKey(sub, primary, userId, expires, unusable));
      }
    }

    private void add(OpenPgpKey key) {
      openPgpByKeyId.computeIfAbsent(key.key().getKeyID(), k -> new ArrayList<>()).add(key);
      openPgpByFingerprint.putIfAbsent(key.fingerprint(), key);
    }

    private static String firstUserId(PGPPublicKey key) {
      Iterator<String> ids = key.getUserIDs();
      return ids.hasNext() ? ids.next() : null;
    }

    private static Instant expiry(PGPPublicKey key) {
      long seconds = key.getValidSeconds();
      return seconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(seconds);
    }

    /** "revoked" when a revocation signature by the primary key verifies, else null. */
    private static String revoked(PGPPublicKey primary, PGPPublicKey key, int type) {
      Iterator<PGPSignature> sigs = key.getSignaturesOfType(type);
      while (sigs.hasNext()) {
        PGPSignature sig = sigs.next();
        try {
          sig.init(VERIFIERS, primary);
          boolean ok = type == PGPSignature.KEY_REVOCATION
              ? sig.verifyCertification(key)
              : sig.verifyCertification(primary, key);
          if (ok) {
            return "revoked";
          }
        } catch (PGPException | RuntimeException e) {
          // a revocation that does not verify does not count
        }
      }
      return null;
    }

    private static PGPSignature validBinding(PGPPublicKey primary, PGPPublicKey sub) {
      Iterator<PGPSignature> sigs = sub.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
      while (sigs.hasNext()) {
        PGPSignature sig = sigs.next();
        try {
          sig.init(VERIFIERS, primary);
          if (sig.verifyCertification(primary, sub)) {
            return sig;
          }
        } catch (PGPException | RuntimeException e) {
          // try the next one
        }
      }
      return null;
    }

    private static String utf8(byte[] value) {
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }

    /** Splits at whitespace outside double quotes (authorized_keys options may quote spaces). */
    private static List<String> tokens(String line) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\\' && quoted && i + 1 < line.length()) {
          cur.append(c);
          c = line.charAt(++i);
        } else if (!quoted && Character.isWhitespace(c)) {
          if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
          }
          continue;
        }
        cur.append(c);
      }
      if (cur.length() > 0) {
        out.add(cur.toString());
      }
      return out;
    }

    private static String abbreviate(String line) {
      return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
  }
}
