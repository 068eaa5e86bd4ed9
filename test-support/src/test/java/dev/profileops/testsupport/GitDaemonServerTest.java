package dev.profileops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitDaemonServerTest {

  @BeforeAll
  static void needsGit() {
    GitDaemonServer.assumeAvailable();
  }

  @Test
  void aPushedCommitShowsInLsRemoteAndClones(@TempDir Path tmp) throws IOException {
    try (GitDaemonServer server = GitDaemonServer.start();
        GitWorkTree work = GitWorkTree.init()) {
      server.createBareRepo("profiles");
      String url = server.url("profiles");

      String first =
          work.write("seccomp/a.json", "{}\n")
              .write("seccomp/b.json", "{}\n")
              .commitAll("add a, b");
      work.push(url, "main");

      assertThat(work.git("ls-remote", url)).as(server.log()).contains(first + "\trefs/heads/main");

      String second = work.delete("seccomp/a.json").commitAll("drop a");
      work.push(url, "main");

      assertThat(second).isNotEqualTo(first);
      assertThat(work.git("ls-remote", url, "refs/heads/main"))
          .isEqualTo(second + "\trefs/heads/main\n");
      Path clone = tmp.resolve("clone");
      work.git("clone", "--quiet", url, clone.toString());
      assertThat(clone.resolve("seccomp/b.json")).exists();
      assertThat(clone.resolve("seccomp/a.json")).doesNotExist();
    }
  }

  @Test
  void namesReposUnderItsBasePath() throws IOException {
    try (GitDaemonServer server = GitDaemonServer.start()) {
      Path repo = server.createBareRepo("team/profiles");

      assertThat(repo).isEqualTo(server.basePath().resolve("team/profiles.git"));
      assertThat(repo.resolve("HEAD")).exists();
      assertThat(Files.readString(repo.resolve("HEAD"))).isEqualTo("ref: refs/heads/main\n");
      assertThat(Files.readString(repo.resolve("config"))).contains("receivepack = true");
      assertThat(server.url("team/profiles"))
          .isEqualTo("git://127.0.0.1:" + server.port() + "/team/profiles.git");
      assertThat(server.url("x.git")).endsWith("/x.git");
      assertThatThrownBy(() -> server.url("../etc")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> server.createBareRepo("a b"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closeStopsTheDaemonAndFreesThePort() throws IOException {
    GitDaemonServer server = GitDaemonServer.start();
    int port = server.port();
    Path base = server.basePath();
    assertThat(server.isAlive()).isTrue();

    server.close();

    assertThat(server.isAlive()).isFalse();
    assertThat(base).doesNotExist();
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
              }
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void twoDaemonsGetTwoPorts() throws IOException {
    try (GitDaemonServer one = GitDaemonServer.start();
        GitDaemonServer two = GitDaemonServer.start()) {
      assertThat(one.port()).isNotEqualTo(two.port());
    }
  }

  @Test
  void workTreePathsStayInside() throws IOException {
    try (GitWorkTree work = GitWorkTree.init()) {
      assertThatThrownBy(() -> work.write("../outside", "x"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> work.write(".git/config", "x"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(work.git("symbolic-ref", "HEAD").strip()).isEqualTo("refs/heads/main");
    }
  }
}
