package dev.profileops.syncer.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading trusted keys from Secret data: what is taken, and what is reported instead of thrown. */
class TrustedKeysTest {
  private static Map<String, byte[]> data(String... keyValue) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValue.length; i += 2) {
      m.put(keyValue[i], keyValue[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  @Test
  void readsAuthorizedKeysLinesWithOptionsCommentsAndBlankLines() throws Exception {
    JavaSshKeys.Key ed = JavaSshKeys.ed25519();
    JavaSshKeys.Key ec = JavaSshKeys.ecdsaP256();
    String authorizedKeys = "\uFEFF# signers\n\n"
        + "restrict,command=\"echo hi there\" " + ed.authorizedKeysLine("alice laptop") + "\r\n"
        + ec.authorizedKeysLine(null) + "\n";

    TrustedKeys keys = TrustedKeys.fromSecretData(data("authorized_keys", authorizedKeys));

    assertThat(keys.problems()).isEmpty();
    assertThat(keys.keys()).hasSize(2);
    assertThat(keys.keys().get(0)).startsWith("SSH ssh-ed25519 SHA256:").endsWith("(alice laptop)");
    assertThat(keys.sshKey(ed.blob())).isPresent();
    assertThat(keys.sshKey(ec.blob())).isPresent();
    assertThat(keys.sshKey(ed.blob()).get().key()).isEqualTo(ed.pair().getPublic());
    assertThat(keys.sshKey(ec.blob()).get().key()).isEqualTo(ec.pair().getPublic());
  }

  @Test
  void readsAllowedSignersLinesButHonoursTheirNamespaces() throws Exception {
    JavaSshKeys.Key git = JavaSshKeys.ed25519();
    JavaSshKeys.Key fileOnly = JavaSshKeys.ed25519();
    JavaSshKeys.Key admin = JavaSshKeys.ecdsaP256();
    String allowedSigners = "alice@example.com namespaces=\"file,git\" " + git.authorizedKeysLine(null) + "\n"
        + "bob@example.com namespaces=\"file\" " + fileOnly.authorizedKeysLine("bob") + "\n"
        + "ssh-admin@example.com " + admin.authorizedKeysLine(null) + "\n";

    TrustedKeys keys = TrustedKeys.fromSecretData(data("allowed_signers", allowedSigners));

    assertThat(keys.sshKey(git.blob())).isPresent();
    assertThat(keys.sshKey(admin.blob())).isPresent();
    assertThat(keys.sshKey(fileOnly.blob())).isEmpty();
    assertThat(keys.problems()).containsExactly(
        "allowed_signers: line 2: ssh-ed25519 key \"bob\" is limited to namespaces \"file\", not git; ignored");
  }

  @Test
  void reportsEveryBadEntryNamingItAndKeepsTheGoodOnes() throws Exception {
    JavaSshKeys.Key good = JavaSshKeys.ed25519();
    String dss = Base64.getEncoder().encodeToString(new SshWire.Writer().string("ssh-dss").string(new byte[8]).toByteArray());
    String sk = Base64.getEncoder().encodeToString(new SshWire.Writer().string("sk-ssh-ed25519@openssh.com")
        .string(new byte[32]).string("ssh:").toByteArray());
    String edBlob = good.authorizedKeysLine(null).split(" ")[1];
    String lines = good.authorizedKeysLine("good") + "\n"
        + "ssh-dss " + dss + " old key\n"
        + "sk-ssh-ed25519@openssh.com " + sk + " yubikey\n"
        + "ssh-ed25519 !!!not-base64!!! broken\n"
        + "ssh-rsa " + edBlob + " mislabelled\n"
        + "hello world\n"
        + "cert-authority " + good.authorizedKeysLine("ca") + "\n";

    TrustedKeys keys = TrustedKeys.fromSecretData(data(
        "keys", lines,
        "private", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        "pgp", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n",
        "cut", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n",
        "empty", ""));

    assertThat(keys.keys()).hasSize(1);
    assertThat(keys.sshKey(good.blob())).isPresent();
    assertThat(keys.problems()).containsExactly(
        "cut: line 1: PGP PUBLIC KEY BLOCK has no -----END PGP PUBLIC KEY BLOCK----- line; ignored",
        "empty: empty value",
        "keys: line 2: ssh-dss key \"old key\": unsupported SSH key type ssh-dss; ignored",
        "keys: line 3: sk-ssh-ed25519@openssh.com key \"yubikey\": unsupported SSH key type sk-ssh-ed25519@openssh.com; ignored",
        "keys: line 4: ssh-ed25519 key \"broken\": key data is not base64",
        "keys: line 5: ssh-rsa key \"mislabelled\": the key data is a ssh-ed25519 key; ignored",
        "keys: line 6: neither an SSH public key nor part of an OpenPGP public key block: hello world",
        "keys: line 7: ssh-ed25519 key \"ca\" is a certificate authority; SSH certificates are not supported; ignored",
        keys.problems().get(8), // the OpenPGP parser's own words
        "private: line 1: holds a private key (OPENSSH PRIVATE KEY); only public keys belong here; ignored");
    assertThat(keys.problems().get(8)).startsWith("pgp: OpenPGP key block 1 (line 1) is not a readable OpenPGP public key");
  }

  @Test
  void binaryGarbageIsReportedNotThrown() {
    TrustedKeys keys = TrustedKeys.fromSecretData(Map.of("bin", new byte[] {(byte) 0x99, 0x01, 0x02, (byte) 0xff}));

    assertThat(keys.isEmpty()).isTrue();
    assertThat(keys.problems()).hasSize(2);
    assertThat(keys.problems().get(0)).startsWith("bin: binary OpenPGP key data ");
    assertThat(keys.problems().get(1)).isEqualTo("no usable key in the Secret; no key is trusted");
  }

  @Test
  void emptySecretTrustsNothingAndSaysSo() {
    assertThat(TrustedKeys.fromSecretData(Map.of()).problems()).containsExactly("the Secret holds no data; no key is trusted");
    assertThat(TrustedKeys.none().isEmpty()).isTrue();
    assertThat(TrustedKeys.none().problems()).isEmpty();
  }

  @Test
  void readsAFabric8SecretDecodingData() throws Exception {
    JavaSshKeys.Key a = JavaSshKeys.ed25519();
    JavaSshKeys.Key b = JavaSshKeys.ed25519();
    Secret secret = new SecretBuilder().withNewMetadata().withName("signers").endMetadata()
        .addToData("a.pub", Base64.getEncoder().encodeToString(a.authorizedKeysLine("a").getBytes(StandardCharsets.UTF_8)))
        .addToData("broken", "%%%")
        .addToStringData("b.pub", b.authorizedKeysLine("b"))
        .build();

    TrustedKeys keys = TrustedKeys.fromSecret(secret);

    assertThat(keys.sshKey(a.blob())).isPresent();
    assertThat(keys.sshKey(b.blob())).isPresent();
    assertThat(keys.problems()).hasSize(1);
    assertThat(keys.problems().get(0)).startsWith("broken: value is not base64");
  }

  @Test
  void theSameKeyTwiceCountsOnce() throws Exception {
    JavaSshKeys.Key a = JavaSshKeys.ed25519();

    TrustedKeys keys = TrustedKeys.fromSecretData(data("one", a.authorizedKeysLine("x"), "two", a.authorizedKeysLine("y")));

    assertThat(keys.keys()).hasSize(1);
    assertThat(keys.problems()).isEmpty();
  }
}
