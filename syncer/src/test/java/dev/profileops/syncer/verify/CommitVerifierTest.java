package dev.profileops.syncer.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commits signed with real keys: OpenPGP keys made by gpg in a temporary GNUPGHOME, SSH keys made by
 * ssh-keygen, commits made and signed by the git command line. Skips when a tool is missing (fails
 * under CI).
 */
class CommitVerifierTest {
  @TempDir static Path tmp;

  private static Map<String, String> env;
  private static Path work;
  private static Repository repo;
  private static final CommitVerifier VERIFIER = new CommitVerifier();

  /** Alice: ed25519 primary key with an ed25519 signing subkey, which gpg signs with. */
  private static GpgKey alice;
  /** Mallory: a key nobody trusts. */
  private static GpgKey mallory;
  /** Carol: trusted, then revoked. */
  private static GpgKey carol;
  /** Dave: trusted, expires in a day. */
  private static GpgKey dave;

  private static final Map<String, Path> SSH_KEYS = new LinkedHashMap<>();
  private static TrustedKeys trusted;

  private record GpgKey(String primaryFingerprint, String primaryKeyId, String signingFingerprint,
      String signingKeyId, byte[] armored) {}

  private static final String[] TOOLS = {"gpg", "gpgconf", "ssh-keygen", "git"};

  @BeforeAll
  static void makeKeysAndRepository() throws IOException {
    if (SigningTools.missing(TOOLS) != null) {
      return; // each test skips (or fails under CI) in requireTools
    }
    Path gnupg = Files.createDirectory(tmp.resolve("gnupg"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    work = Files.createDirectories(tmp.resolve("repo"));
    env = Map.of(
        "GNUPGHOME", gnupg.toString(),
        "HOME", tmp.toString(),
        "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_CONFIG_NOSYSTEM", "1",
        "LC_ALL", "C");

    alice = gpgKey("Alice <alice@example.com>", "never", true);
    mallory = gpgKey("Mallory <mallory@example.com>", "never", false);
    carol = gpgKey("Carol <carol@example.com>", "never", false);
    dave = gpgKey("Dave <dave@example.com>", "1d", false);
    for (String type : List.of("ed25519", "ecdsa", "rsa", "mallory")) {
      Path key = tmp.resolve("ssh-" + type);
      String t = type.equals("mallory") ? "ed25519" : type;
      List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", t, "-N", "", "-C", "test " + type,
          "-f", key.toString()));
      if (t.equals("rsa")) {
        cmd.addAll(List.of("-b", "3072"));
      }
      sh(cmd.toArray(String[]::new));
      SSH_KEYS.put(type, Path.of(key + ".pub"));
    }

    git("init", "-q", "-b", "main");
    repo = new FileRepositoryBuilder().setGitDir(work.resolve(".git").toFile()).build();

    Map<String, byte[]> secret = new LinkedHashMap<>();
    secret.put("alice.asc", alice.armored());
    secret.put("carol.asc", carol.armored());
    secret.put("dave.asc", dave.armored());
    StringBuilder authorized = new StringBuilder("# people who may sign profile changes\n");
    for (String type : List.of("ed25519", "ecdsa", "rsa")) {
      authorized.append(Files.readString(SSH_KEYS.get(type)).strip()).append('\n');
    }
    secret.put("authorized_keys", authorized.toString().getBytes(StandardCharsets.UTF_8));
    trusted = TrustedKeys.fromSecretData(secret);
  }

  @BeforeEach
  void requireTools() {
    SigningTools.requireTools(TOOLS);
  }

  @AfterAll
  static void stopAgent() throws IOException {
    if (repo != null) {
      repo.close();
    }
    if (env != null) {
      SigningTools.run(tmp, env, null, "gpgconf", "--kill", "gpg-agent");
    }
  }

  @Test
  void trustedKeysReadTheRealExports() {
    assertThat(trusted.problems()).isEmpty();
    assertThat(trusted.keys()).hasSize(6);
    assertThat(trusted.keys()).anyMatch(k -> k.contains(alice.primaryFingerprint()) && k.contains("alice@example.com"));
    assertThat(trusted.keys()).anyMatch(k -> k.startsWith("SSH ecdsa-sha2-nistp256 SHA256:") && k.endsWith("(test ecdsa)"));
  }

  @Test
  void openPgpSignatureByTrustedKeyIsTrusted() throws IOException {
    ObjectId commit = commit("signed by alice", pgp(alice));

    Verification v = VERIFIER.verify(repo, commit, trusted);

    assertThat(v.trusted()).as(v.reason()).isTrue();
    // gpg signs with the signing subkey, which counts through its binding signature
    assertThat(v.signer()).isEqualTo(alice.signingFingerprint());
    assertThat(v.reason()).isEqualTo("commit " + commit.abbreviate(7).name() + " is signed by trusted OpenPGP key "
        + alice.signingKeyId() + " (subkey of " + alice.primaryKeyId() + ") Alice <alice@example.com>");
  }

  @Test
  void openPgpSignatureByAnotherKeyIsNotTrustedAndNamesTheKey() throws IOException {
    ObjectId commit = commit("signed by mallory", pgp(mallory));

    Verification v = VERIFIER.verify(repo, commit, trusted);

    assertThat(v.trusted()).isFalse();
    assertThat(v.signer()).isEqualTo(mallory.signingFingerprint());
    assertThat(v.reason()).startsWith("commit " + commit.abbreviate(7).name()
        + " is signed by unknown OpenPGP key " + mallory.signingKeyId());
  }

  @Test
  void keyBlockWithManyKeysTrustsEachOfThem() throws IOException {
    byte[] both = SigningTools.run(tmp, env, null, "gpg", "--batch", "--armor", "--export",
        alice.primaryFingerprint(), mallory.primaryFingerprint()).getBytes(StandardCharsets.US_ASCII);
    TrustedKeys keys = TrustedKeys.fromSecretData(Map.of("team.asc", both));
    ObjectId commit = commit("signed by mallory, trusted this time", pgp(mallory));

    assertThat(keys.problems()).isEmpty();
    assertThat(keys.keys()).hasSize(2);
    assertThat(VERIFIER.verify(repo, commit, keys).trusted()).isTrue();
  }

  @Test
  void unsignedCommitIsNotTrusted() throws IOException {
    ObjectId commit = commit("not signed");

    Verification v = VERIFIER.verify(repo, commit, trusted);

    assertThat(v).isEqualTo(new Verification(false, null, "commit " + commit.abbreviate(7).name() + " is not signed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
  void sshSignatureByTrustedKeyIsTrusted(String type) throws IOException {
    ObjectId commit = commit("ssh-signed with " + type, ssh(type));

    Verification v = VERIFIER.verify(repo, commit, trusted);

    assertThat(v.trusted()).as(v.reason()).isTrue();
    assertThat(v.signer()).isEqualTo(sshFingerprint(type));
    assertThat(v.reason()).contains("is signed by trusted SSH key " + sshFingerprint(type) + " (test " + type + ")");
  }

  @Test
  void sshSignatureByUntrustedKeyIsNotTrusted() throws IOException {
    ObjectId commit = commit("ssh-signed by mallory", ssh("mallory"));

    Verification v = VERIFIER.verify(repo, commit, trusted);

    assertThat(v.trusted()).isFalse();
    assertThat(v.signer()).isEqualTo(sshFingerprint("mallory"));
    assertThat(v.reason()).isEqualTo("commit " + commit.abbreviate(7).name() + " is signed by unknown SSH key "
        + sshFingerprint("mallory") + " (ssh-ed25519)");
  }

  @Test
  void openPgpSignatureCopiedOntoAnotherCommitIsBad() throws IOException {
    ObjectId signed = commit("the reviewed change", pgp(alice));
    ObjectId other = commit("a change nobody reviewed");
    ObjectId forged = withSignatureOf(other, signed);

    Verification v = VERIFIER.verify(repo, forged, trusted);

    assertThat(v.trusted()).isFalse();
    assertThat(v.signer()).isEqualTo(alice.signingFingerprint());
    assertThat(v.reason()).startsWith("commit " + forged.abbreviate(7).name() + " has a bad signature")
        .contains(alice.signingKeyId());
  }

  @Test
  void sshSignatureCopiedOntoAnotherCommitIsBad() throws IOException {
    ObjectId signed = commit("the reviewed change, ssh", ssh("ed25519"));
    ObjectId other = commit("another change nobody reviewed");
    ObjectId forged = withSignatureOf(other, signed);

    Verification v = VERIFIER.verify(repo, forged, trusted);

    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).startsWith("commit " + forged.abbreviate(7).name() + " has a bad signature")
        .contains(sshFingerprint("ed25519"));
  }

  @Test
  void editedMessageUnderAGoodSignatureIsBad() throws IOException {
    ObjectId signed = commit("allow read only", ssh("ecdsa"));
    String raw = SigningTools.run(work, env, null, "git", "cat-file", "commit", signed.name());
    ObjectId edited = hashCommit(raw.replace("allow read only", "allow everything"));

    Verification v = VERIFIER.verify(repo, edited, trusted);

    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).contains("has a bad signature");
  }

  @Test
  void revokedKeyIsNotTrusted() throws IOException {
    ObjectId commit = commit("signed by carol before her key was revoked", pgp(carol));
    assertThat(VERIFIER.verify(repo, commit, trusted).trusted()).isTrue();

    String revocation = Files.readString(tmp.resolve("gnupg/openpgp-revocs.d/" + carol.primaryFingerprint() + ".rev"))
        .replace(":-----BEGIN", "-----BEGIN");
    SigningTools.run(tmp, env, revocation.getBytes(StandardCharsets.US_ASCII), "gpg", "--batch", "--import");
    byte[] revoked = SigningTools.run(tmp, env, null, "gpg", "--batch", "--armor", "--export", carol.primaryFingerprint())
        .getBytes(StandardCharsets.US_ASCII);
    TrustedKeys keys = TrustedKeys.fromSecretData(Map.of("carol.asc", revoked));

    Verification v = VERIFIER.verify(repo, commit, keys);

    assertThat(keys.problems()).anyMatch(p -> p.startsWith("carol.asc: OpenPGP key " + carol.primaryKeyId())
        && p.contains("revoked"));
    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).contains("which is revoked");
  }

  @Test
  void expiredKeyIsNotTrusted() throws IOException {
    ObjectId commit = commit("signed by dave", pgp(dave));
    CommitVerifier later = new CommitVerifier(Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC));

    assertThat(VERIFIER.verify(repo, commit, trusted).trusted()).isTrue();
    Verification v = later.verify(repo, commit, trusted);
    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).contains("OpenPGP key " + dave.signingKeyId()).contains("which expired");
  }

  @Test
  void noTrustedKeysTrustsNothing() throws IOException {
    ObjectId commit = commit("signed, but nobody is trusted", pgp(alice));

    Verification v = VERIFIER.verify(repo, commit, TrustedKeys.none());

    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).contains("unknown OpenPGP key " + alice.signingKeyId());
  }

  // --- helpers ---

  private static GpgKey gpgKey(String uid, String expires, boolean signingSubkey) throws IOException {
    gpg("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", expires);
    String email = uid.substring(uid.indexOf('<') + 1, uid.indexOf('>'));
    String primary = fingerprints(email).get(0);
    if (signingSubkey) {
      gpg("--passphrase", "", "--quick-add-key", primary, "ed25519", "sign", expires);
    }
    List<String> fprs = fingerprints(email);
    String signing = fprs.get(fprs.size() - 1);
    byte[] armored = gpg("--armor", "--export", primary).getBytes(StandardCharsets.US_ASCII);
    return new GpgKey(primary, keyId(primary), signing, keyId(signing), armored);
  }

  private static String keyId(String fingerprint) {
    return "0x" + fingerprint.substring(fingerprint.length() - 16);
  }

  /** The fingerprints of the primary key and then its subkeys. */
  private static List<String> fingerprints(String email) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : gpg("--with-colons", "--list-keys", "<" + email + ">").split("\n")) {
      if (line.startsWith("fpr:")) {
        out.add(line.split(":")[9]);
      }
    }
    return out;
  }

  private static String gpg(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--quiet"));
    cmd.addAll(List.of(args));
    return SigningTools.run(tmp, env, null, cmd.toArray(String[]::new));
  }

  private static String sshFingerprint(String type) throws IOException {
    return SigningTools.run(tmp, env, null, "ssh-keygen", "-l", "-E", "sha256", "-f", SSH_KEYS.get(type).toString())
        .split(" ")[1];
  }

  private static void sh(String... cmd) throws IOException {
    SigningTools.run(tmp, env, null, cmd);
  }

  private static String git(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
        "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    return SigningTools.run(work, env, null, cmd.toArray(String[]::new));
  }

  private static List<String> pgp(GpgKey key) {
    return List.of("-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", "user.signingkey=" + key.primaryFingerprint());
  }

  private static List<String> ssh(String type) {
    return List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + SSH_KEYS.get(type));
  }

  private static ObjectId commit(String message) throws IOException {
    git("commit", "-q", "--allow-empty", "-m", message);
    return ObjectId.fromString(git("rev-parse", "HEAD").strip());
  }

  private static ObjectId commit(String message, List<String> signing) throws IOException {
    List<String> args = new ArrayList<>(signing);
    args.addAll(List.of("commit", "-q", "--allow-empty", "-S", "-m", message));
    git(args.toArray(String[]::new));
    return ObjectId.fromString(git("rev-parse", "HEAD").strip());
  }

  /** A new commit object: {@code target}'s content with {@code signed}'s gpgsig header put in, as a forger would. */
  private static ObjectId withSignatureOf(ObjectId target, ObjectId signed) throws IOException {
    String signedRaw = SigningTools.run(work, env, null, "git", "cat-file", "commit", signed.name());
    StringBuilder header = new StringBuilder();
    boolean in = false;
    for (String line : signedRaw.split("\n", -1)) {
      if (line.startsWith("gpgsig ")) {
        in = true;
      } else if (in && !line.startsWith(" ")) {
        break;
      }
      if (in) {
        header.append(line).append('\n');
      }
    }
    assertThat(header).as("gpgsig header of %s", signed.name()).isNotEmpty();
    String raw = SigningTools.run(work, env, null, "git", "cat-file", "commit", target.name());
    int body = raw.indexOf("\n\n");
    return hashCommit(raw.substring(0, body + 1) + header + raw.substring(body + 1));
  }

  private static ObjectId hashCommit(String raw) throws IOException {
    return ObjectId.fromString(SigningTools.run(work, env, raw.getBytes(StandardCharsets.UTF_8),
        "git", "hash-object", "-t", "commit", "-w", "--stdin").strip());
  }
}
