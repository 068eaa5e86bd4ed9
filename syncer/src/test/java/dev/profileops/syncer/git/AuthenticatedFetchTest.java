package dev.profileops.syncer.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.testsupport.GitHttpServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.SshGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FetchRepositoryCommand and RemoteHeadCommand against real authenticating servers on loopback. */
class AuthenticatedFetchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  @TempDir Path tmp;

  @Test
  void fetchesOverHttpWithBasicAuthAndSaysWhenTheCredentialsAreRejected() throws IOException {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("git", "s3cr3t"); GitWorkTree work = GitWorkTree.init()) {
      http.createBareRepo("profiles");
      String commit = work.write("a.yaml", "a: 1\n").commitAll("one");
      work.push(http.pushUrl("profiles"), "main");

      try (GitTransport good = GitTransport.https(new UsernamePasswordCredentialsProvider("git", "s3cr3t"), "secret good")) {
        assertThat(new RemoteHeadCommand(http.url("profiles"), "main").credentials(good.credentials()).timeout(TIMEOUT).call())
            .hasValue(commit);
        CheckoutResult checkout = new FetchRepositoryCommand(http.url("profiles"), "main", tmp.resolve("clone"))
            .credentials(good.credentials()).timeout(TIMEOUT).depth(1).call();
        assertThat(checkout.commit()).isEqualTo(commit);
        assertThat(Files.readString(tmp.resolve("clone/a.yaml"))).isEqualTo("a: 1\n");
      }

      GitTransport bad = GitTransport.https(new UsernamePasswordCredentialsProvider("git", "wrong"), "secret bad");
      assertThatThrownBy(() -> new RemoteHeadCommand(http.url("profiles"), "main").credentials(bad.credentials())
          .timeout(TIMEOUT).call())
          .isInstanceOf(RuntimeException.class)
          .satisfies(e -> assertThat((bad.explain((RuntimeException) e)))
              .contains("authentication failed: the credentials of secret bad were rejected"));
      assertThatThrownBy(() -> new RemoteHeadCommand(http.url("profiles"), "main").timeout(TIMEOUT).call())
          .satisfies(e -> assertThat((GitTransport.none().explain((RuntimeException) e)))
              .contains("authentication failed: the server asks for credentials and the source names no secretRef"));
      assertThat(http.requests()).anyMatch(r -> r.endsWith("-> 401")).anyMatch(r -> r.endsWith("-> 200"));
    }
  }

  /** A fresh ed25519 public key, {@code ssh-ed25519 AAAA...}. */
  private String newPublicKey() throws IOException {
    String[] parts = Files.readString(Path.of(newKey() + ".pub")).strip().split(" ");
    return parts[0] + " " + parts[1];
  }

  /** A fresh unencrypted ed25519 key pair; returns the private key's file ({@code .pub} beside it). */
  private Path newKey() throws IOException {
    Path key = tmp.resolve("other-" + System.nanoTime());
    try {
      Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
          .redirectErrorStream(true).start();
      assertThat(keygen.waitFor()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return key;
  }

  @Test
  void fetchesOverSshWithAnIdentityAndRefusesAnUnknownOrChangedHostKey() throws IOException {
    SshGitServer.assumeAvailable();
    try (SshGitServer ssh = SshGitServer.start(); GitWorkTree work = GitWorkTree.init()) {
      Path bare = ssh.createBareRepo("profiles");
      String commit = work.write("a.yaml", "a: 1\n").commitAll("one");
      work.push(bare.toString(), "main");

      try (SshTransportConfig config = SshTransportConfig.create(ssh.clientPrivateKey(), ssh.knownHostsLine(), "secret git-ssh")) {
        Path dir = config.directory();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("identity"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("known_hosts"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new RemoteHeadCommand(ssh.url("profiles"), "main").transportConfig(config).timeout(TIMEOUT).call())
            .as(ssh::log).hasValue(commit);
        CheckoutResult checkout = new FetchRepositoryCommand(ssh.url("profiles"), "main", tmp.resolve("clone"))
            .transportConfig(config).timeout(TIMEOUT).depth(1).call();
        assertThat(checkout.commit()).isEqualTo(commit);
        config.close();
        assertThat(dir).doesNotExist();
      }

      // Another host's key for this address: the key has changed.
      String otherKey = newPublicKey();
      try (GitTransport changed = GitTransport.ssh(SshTransportConfig.create(ssh.clientPrivateKey(),
          "[127.0.0.1]:" + ssh.port() + " " + otherKey, "secret git-ssh"), "secret git-ssh")) {
        assertThatThrownBy(() -> new RemoteHeadCommand(ssh.url("profiles"), "main")
            .transportConfig(changed.transportConfig()).timeout(TIMEOUT).call())
            .satisfies(e -> assertThat((changed.explain((RuntimeException) e)))
                .contains("host key of [127.0.0.1]:" + ssh.port() + " has changed")
                .contains("known_hosts of secret git-ssh"));
      }
      // The right key, but for another port: the host is unknown.
      try (GitTransport unknown = GitTransport.ssh(SshTransportConfig.create(ssh.clientPrivateKey(),
          "[127.0.0.1]:1 " + ssh.hostPublicKey(), "secret git-ssh"), "secret git-ssh")) {
        assertThatThrownBy(() -> new FetchRepositoryCommand(ssh.url("profiles"), "main", tmp.resolve("clone2"))
            .transportConfig(unknown.transportConfig()).timeout(TIMEOUT).call())
            .satisfies(e -> assertThat((unknown.explain((RuntimeException) e)))
                .contains("host key of [127.0.0.1]:" + ssh.port() + " is unknown"));
      }
      // A key sshd does not let in.
      try (GitTransport stranger = GitTransport.ssh(SshTransportConfig.create(Files.readString(newKey()),
          ssh.knownHostsLine(), "secret stranger"), "secret stranger")) {
        assertThatThrownBy(() -> new RemoteHeadCommand(ssh.url("profiles"), "main")
            .transportConfig(stranger.transportConfig()).timeout(TIMEOUT).call())
            .satisfies(e -> assertThat(stranger.explain((RuntimeException) e))
                .contains("authentication failed: the identity of secret stranger was not accepted"));
      }
    }
  }
}
