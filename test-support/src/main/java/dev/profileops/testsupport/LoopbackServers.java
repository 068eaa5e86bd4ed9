package dev.profileops.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the loopback git servers (daemon, http-backend, sshd) share to start: a free port, git's own programs. */
final class LoopbackServers {
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(60);

  private LoopbackServers() {}

  /** A port free on 127.0.0.1 now (another process may take it before the server binds it). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  /**
   * One of git's programs in {@code git --exec-path}, e.g. {@code git-daemon}.
   *
   * @param what the program's name in messages, e.g. {@code daemon}
   * @throws IOException saying why when git cannot be run or has no such program
   */
  static Path gitProgram(String program, String what) throws IOException {
    Commands.Outcome execPath;
    try {
      execPath = Commands.run(List.of("git", "--exec-path"), null, GitWorkTree.hermeticEnv(), GIT_TIMEOUT);
    } catch (IOException e) {
      throw new IOException("cannot run git: " + e, e);
    }
    if (execPath.exitCode() != 0) {
      throw new IOException("git --exec-path failed: " + execPath.describe());
    }
    Path path = Path.of(execPath.stdout().strip(), program);
    if (!Files.isExecutable(path)) {
      throw new IOException("git has no " + what + ": " + path + " is missing");
    }
    return path;
  }
}
