package dev.profileops.syncer.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity and known_hosts checks that need no server (ssh-keygen makes the keys). */
class SshTransportConfigTest {
  @TempDir Path tmp;

  private Path keygen(String name, String... extra) throws Exception {
    assumeTrue(System.getenv("CI") != null || new java.io.File("/usr/bin/ssh-keygen").canExecute(),
        "ssh-keygen (openssh-client) is needed");
    Path key = tmp.resolve(name);
    List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", "ed25519", "-C", name, "-f", key.toString()));
    command.addAll(List.of(extra.length == 0 ? new String[] {"-N", ""} : extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    return key;
  }

  private static PublicKey publicKey(Path key) throws Exception {
    return AuthorizedKeyEntry.parseAuthorizedKeyEntry(Files.readString(Path.of(key + ".pub")).strip())
        .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
  }

  private static String publicLine(Path key) throws IOException {
    String[] parts = Files.readString(Path.of(key + ".pub")).strip().split(" ");
    return parts[0] + " " + parts[1];
  }

  @Test
  void refusesWhatIsNoUsableIdentity() throws Exception {
    Path key = keygen("client");
    String knownHosts = "[127.0.0.1]:2222 " + publicLine(keygen("host"));
    assertThatThrownBy(() -> SshTransportConfig.create(publicLine(key), knownHosts, "secret s"))
        .hasMessageContaining("identity of secret s is not a private key (it looks like a public key)");
    assertThatThrownBy(() -> SshTransportConfig.create("", knownHosts, "secret s"))
        .hasMessageContaining("identity of secret s is empty");
    Path encrypted = keygen("encrypted", "-N", "passphrase");
    assertThatThrownBy(() -> SshTransportConfig.create(Files.readString(encrypted), knownHosts, "secret s"))
        .hasMessageContaining("identity of secret s cannot be used");
    assertThatThrownBy(() -> SshTransportConfig.create(Files.readString(key), "# nothing\n", "secret s"))
        .hasMessageContaining("known_hosts of secret s holds no usable host key");
    try (SshTransportConfig ok = SshTransportConfig.create(Files.readString(key), knownHosts, "secret s")) {
      assertThat(Files.readString(ok.directory().resolve("known_hosts"))).isEqualTo(knownHosts + "\n");
    }
  }

  @Test
  void knownHostsMatchHostAndPortAndTellUnknownFromChangedFromRevoked() throws Exception {
    Path host = keygen("host");
    Path other = keygen("other");
    PublicKey hostKey = publicKey(host);
    PublicKey otherKey = publicKey(other);
    KnownHostsDatabase db = KnownHostsDatabase.parse(String.join("\n",
        "# comment",
        "[git.example]:2222 " + publicLine(host),
        "git.example " + publicLine(other),
        "@revoked old.example " + publicLine(host),
        "old.example " + publicLine(other),
        ""), "known_hosts of secret s");
    ServerKeyDatabase.Configuration config = null; // not consulted
    InetSocketAddress remote2222 = InetSocketAddress.createUnresolved("192.0.2.1", 2222);
    InetSocketAddress remote22 = InetSocketAddress.createUnresolved("192.0.2.1", 22);

    assertThat(db.lookup("[git.example]:2222", remote2222, config)).containsExactly(hostKey);
    assertThat(db.accept("[git.example]:2222", remote2222, hostKey, config, null)).isTrue();
    assertThat(db.rejection()).isNull();
    assertThat(db.accept("git.example:22", remote22, otherKey, config, null)).isTrue();

    assertThat(db.accept("[git.example]:2222", remote2222, otherKey, config, null)).isFalse();
    assertThat(db.rejection()).contains("host key of [git.example]:2222 has changed");
    assertThat(db.accept("[elsewhere.example]:2222", remote2222, hostKey, config, null)).isFalse();
    assertThat(db.rejection()).contains("host key of [elsewhere.example]:2222 is unknown");
    assertThat(db.accept("old.example:22", remote22, hostKey, config, null)).isFalse();
    assertThat(db.rejection()).contains("is revoked");
    assertThat(db.accept("old.example:22", remote22, otherKey, config, null)).isTrue();
  }
}
