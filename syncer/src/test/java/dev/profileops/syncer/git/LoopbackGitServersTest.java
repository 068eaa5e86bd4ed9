package dev.profileops.syncer.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.testsupport.GitHttpServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.SshGitServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test-support git servers with the git command line as client: what a forge's smart HTTP or
 * ssh does (auth, gzip and chunked request bodies, outage and return on the same port).
 */
class LoopbackGitServersTest {
  @TempDir Path tmp;

  @Test
  void gitHttpServerServesCloneAndPushWithGzipAndChunkedBodiesBehindBasicAuth() throws Exception {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("git", "p@ss word"); GitWorkTree work = GitWorkTree.init()) {
      http.createBareRepo("profiles");
      work.write("a.yaml", "a: 1\n").commitAll("one");
      // Many branches: the clone's request lists many wants, which git sends gzip-compressed.
      for (int i = 0; i < 60; i++) {
        work.git("branch", "branch-with-a-long-name-to-make-the-request-large-" + i);
      }
      // More than http.postBuffer (1 MiB): git streams the push chunked.
      byte[] big = new byte[3 * 1024 * 1024];
      new Random(42).nextBytes(big);
      Files.write(work.dir().resolve("big.bin"), big);
      String head = work.commitAll("big");
      work.git("push", "--quiet", http.pushUrl("profiles"), "--all");

      Path clone = tmp.resolve("clone");
      try (GitWorkTree ignored = GitWorkTree.init(tmp.resolve("unused"))) {
        ignored.git("clone", "--quiet", "--no-single-branch", http.pushUrl("profiles"), clone.toString());
      }
      assertThat(Files.readAllBytes(clone.resolve("big.bin"))).isEqualTo(big);
      assertThat(http.requests())
          .anyMatch(r -> r.startsWith("POST /profiles.git/git-receive-pack") && r.contains("[chunked]") && r.endsWith("-> 200"))
          .anyMatch(r -> r.startsWith("POST /profiles.git/git-upload-pack") && r.contains("[gzip]") && r.endsWith("-> 200"));

      // No credentials, wrong credentials: 401.
      try (GitWorkTree other = GitWorkTree.init(tmp.resolve("other"))) {
        assertThatThrownBy(() -> other.git("ls-remote", http.url("profiles"))).isInstanceOf(IOException.class);
        String wrong = http.url("profiles").replace("http://", "http://git:nope@");
        assertThatThrownBy(() -> other.git("ls-remote", wrong)).hasMessageContaining("Authentication failed");
        assertThat(other.git("ls-remote", http.pushUrl("profiles"))).contains(head + "\trefs/heads/main");
      }
      assertThat(http.requests()).anyMatch(r -> r.endsWith("-> 401"));

      // An outage, then the same port again.
      int port = http.port();
      http.stop();
      assertThat(http.isRunning()).isFalse();
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
      }).isInstanceOf(IOException.class);
      http.restart();
      assertThat(http.port()).isEqualTo(port);
      try (GitWorkTree other = GitWorkTree.init(tmp.resolve("again"))) {
        assertThat(other.git("ls-remote", http.pushUrl("profiles"))).contains(head + "\trefs/heads/main");
      }
    }
  }

  @Test
  void sshGitServerLetsInOnlyItsClientKeyAndShowsItsHostKey() throws Exception {
    SshGitServer.assumeAvailable();
    try (SshGitServer ssh = SshGitServer.start(); GitWorkTree work = GitWorkTree.init()) {
      Path bare = ssh.createBareRepo("team/profiles");
      String head = work.write("a.yaml", "a: 1\n").commitAll("one");
      work.push(bare.toString(), "main");
      assertThat(ssh.url("team/profiles")).isEqualTo("ssh://root@127.0.0.1:" + ssh.port() + bare);
      assertThat(ssh.knownHostsLine()).matches("\\[127\\.0\\.0\\.1\\]:" + ssh.port() + " ssh-ed25519 AAAA\\S+");

      Path identity = tmp.resolve("identity");
      Files.writeString(identity, ssh.clientPrivateKey());
      Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
      Path knownHosts = tmp.resolve("known_hosts");
      Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
      String sshCommand = "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="
          + knownHosts + " -i " + identity;
      try (GitWorkTree client = GitWorkTree.init(tmp.resolve("client"))) {
        assertThat(client.git("-c", "core.sshCommand=" + sshCommand, "ls-remote", ssh.url("team/profiles")))
            .contains(head + "\trefs/heads/main");
        Files.writeString(knownHosts, "[127.0.0.1]:" + ssh.port() + " " + ssh.clientPublicKey().split(" ")[0] + " "
            + ssh.clientPublicKey().split(" ")[1] + "\n");
        assertThatThrownBy(() -> client.git("-c", "core.sshCommand=" + sshCommand, "ls-remote", ssh.url("team/profiles")))
            .hasMessageContaining("REMOTE HOST IDENTIFICATION HAS CHANGED");
      }
      assertThat(ssh.log()).contains("Accepted publickey for root");
    }
  }
}
