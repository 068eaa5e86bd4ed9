package dev.profileops.syncer.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH signatures made in Java (no ssh-keygen needed) on commits written by JGit: the cases ssh-keygen
 * does not make, and a check that the payload is the commit without its gpgsig header.
 */
class SshSignatureTest {
  @TempDir Path dir;
  private Git git;
  private Repository repo;
  private final CommitVerifier verifier = new CommitVerifier();

  @BeforeEach
  void init() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).call();
    repo = git.getRepository();
  }

  @AfterEach
  void close() {
    git.close();
  }

  @Test
  void ed25519AndEcdsaSignaturesMadeInJavaVerify() throws Exception {
    for (JavaSshKeys.Key key : new JavaSshKeys.Key[] {JavaSshKeys.ed25519(), JavaSshKeys.ecdsaP256()}) {
      TrustedKeys keys = trusting(key);
      ObjectId commit = commit("by " + key.type(), payload -> JavaSshKeys.sign(key, "git", payload));

      Verification v = verifier.verify(repo, commit, keys);

      assertThat(v.trusted()).as(v.reason()).isTrue();
      assertThat(v.signer()).startsWith("SHA256:");
      assertThat(v.reason()).contains("trusted SSH key " + v.signer() + " (me)");
    }
  }

  @Test
  void signatureForAnotherNamespaceIsNotTrusted() throws Exception {
    JavaSshKeys.Key key = JavaSshKeys.ed25519();
    ObjectId commit = commit("file namespace", payload -> JavaSshKeys.sign(key, "file", payload));

    Verification v = verifier.verify(repo, commit, trusting(key));

    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).endsWith("has an SSH signature for namespace \"file\", not \"git\"");
  }

  @Test
  void signatureClaimingATrustedKeyButMadeByAnotherIsBad() throws Exception {
    JavaSshKeys.Key trustedKey = JavaSshKeys.ed25519();
    JavaSshKeys.Key attacker = JavaSshKeys.ed25519();
    // the attacker signs, then puts the trusted key into the signature as the signer
    ObjectId commit = commit("forged", payload -> {
      SshSignature real = SshSignature.parse(JavaSshKeys.sign(attacker, "git", payload));
      return armor(new SshSignature(trustedKey.blob(), "git", "sha512", real.signature()));
    });

    Verification v = verifier.verify(repo, commit, trusting(trustedKey));

    assertThat(v.trusted()).isFalse();
    assertThat(v.reason()).contains("has a bad signature");
  }

  @Test
  void unreadableAndUnsupportedSignaturesAreNotTrusted() throws Exception {
    JavaSshKeys.Key key = JavaSshKeys.ed25519();
    ObjectId garbage = commit("garbage", payload -> "-----BEGIN SSH SIGNATURE-----\nbm90IGEgc2lnbmF0dXJl\n-----END SSH SIGNATURE-----\n");
    ObjectId x509 = commit("x509", payload -> "-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED MESSAGE-----\n");

    assertThat(verifier.verify(repo, garbage, trusting(key)).reason())
        .endsWith("has an unreadable SSH signature: SSH signature does not start with SSHSIG");
    assertThat(verifier.verify(repo, x509, trusting(key)).reason())
        .endsWith("has an X.509 signature; only OpenPGP and SSH signatures are supported");
  }

  @Test
  void payloadIsTheCommitWithoutItsSignatureHeader() {
    String raw = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        + "author A <a@example.com> 1 +0000\n"
        + "committer A <a@example.com> 1 +0000\n"
        + "gpgsig -----BEGIN SSH SIGNATURE-----\n"
        + " AAAA\n"
        + " -----END SSH SIGNATURE-----\n"
        + "\n"
        + "message\n"
        + "gpgsig in the message stays\n";

    byte[] payload = CommitVerifier.signedPayload(raw.getBytes(StandardCharsets.UTF_8));

    assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        + "author A <a@example.com> 1 +0000\n"
        + "committer A <a@example.com> 1 +0000\n"
        + "\n"
        + "message\n"
        + "gpgsig in the message stays\n");
  }

  // --- helpers ---

  private interface Signer {
    String sign(byte[] payload) throws Exception;
  }

  private static TrustedKeys trusting(JavaSshKeys.Key key) {
    return TrustedKeys.fromSecretData(Map.of("keys", key.authorizedKeysLine("me").getBytes(StandardCharsets.UTF_8)));
  }

  private ObjectId commit(String message, Signer signer) throws Exception {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId tree = ins.insert(new TreeFormatter());
      CommitBuilder cb = new CommitBuilder();
      cb.setTreeId(tree);
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      cb.setAuthor(who);
      cb.setCommitter(who);
      cb.setMessage(message + "\n");
      byte[] payload = cb.build();
      cb.setGpgSignature(new GpgSignature(signer.sign(payload).getBytes(StandardCharsets.US_ASCII)));
      ObjectId id = ins.insert(Constants.OBJ_COMMIT, cb.build());
      ins.flush();
      return id;
    }
  }

  private static String armor(SshSignature sig) {
    byte[] raw = new SshWire.Writer().raw("SSHSIG".getBytes(StandardCharsets.US_ASCII)).uint32(1)
        .string(sig.publicKey()).string(sig.namespace()).string(new byte[0]).string(sig.hashAlgorithm())
        .string(sig.signature()).toByteArray();
    return "-----BEGIN SSH SIGNATURE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(raw)
        + "\n-----END SSH SIGNATURE-----\n";
  }
}
