package dev.profileops.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code git daemon} serving the bare repositories of a temporary directory over {@code
 * git://127.0.0.1:PORT/NAME.git}, pushes included. Closing it kills the daemon and its children
 * and deletes the directory.
 *
 * <pre>{@code
 * try (GitDaemonServer git = GitDaemonServer.start(); GitWorkTree work = GitWorkTree.init()) {
 *   git.createBareRepo("profiles");
 *   work.write("seccomp/a.yaml", "...").commitAll("add a");
 *   work.push(git.url("profiles"), "main");
 * }
 * }</pre>
 */
public final class GitDaemonServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitDaemonServer.class);
  private static final int START_ATTEMPTS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Path basePath;
  private final int port;
  private final Process daemon;
  private final Path log;

  private GitDaemonServer(Path basePath, int port, Process daemon, Path log) {
    this.basePath = basePath;
    this.port = port;
    this.daemon = daemon;
    this.log = log;
  }

  /** Why no git daemon can run here (no git, or no {@code git daemon} in it), or empty. */
  public static Optional<String> unavailableReason() {
    if (Commands.find("git").isEmpty()) {
      return Optional.of("git is not installed (apt-get install git)");
    }
    try {
      LoopbackServers.gitProgram("git-daemon", "daemon");
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Skips the calling test, with the reason, when no git daemon can run here; fails it instead
   * when the environment variable {@code CI} is set.
   */
  public static void assumeAvailable() {
    Commands.assumeOrFailInCi(unavailableReason());
  }

  /**
   * Starts a daemon on 127.0.0.1 and a free port (picking another if the port was taken meanwhile)
   * and returns once the port accepts connections.
   */
  public static GitDaemonServer start() throws IOException {
    Path base = Files.createTempDirectory("profileops-git-daemon-");
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = LoopbackServers.freePort();
      Path log = Files.createTempFile("profileops-git-daemon-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
              "git",
              "daemon",
              "--base-path=" + base,
              "--export-all",
              "--enable=receive-pack",
              "--reuseaddr",
              "--informative-errors",
              "--listen=127.0.0.1",
              "--port=" + port);
      pb.environment().putAll(GitWorkTree.hermeticEnv());
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      Process process = pb.start();
      try {
        if (awaitListening(process, port)) {
          LOG.debug("git daemon pid {} serving {} on 127.0.0.1:{}", process.pid(), base, port);
          return new GitDaemonServer(base, port, process, log);
        }
        last =
            new IOException(
                "git daemon on port " + port + " did not start: " + Files.readString(log).strip());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Commands.destroyTree(process.toHandle());
        Files.deleteIfExists(log);
        Commands.deleteTree(base);
        throw new IOException("interrupted while starting git daemon", e);
      }
      LOG.warn("attempt {} to start git daemon failed: {}", attempt, last.getMessage());
      Commands.destroyTree(process.toHandle());
      Files.deleteIfExists(log);
    }
    Commands.deleteTree(base);
    throw last;
  }

  /** The directory the daemon serves: {@code url(name)} is {@code basePath()/name.git}. */
  public Path basePath() {
    return basePath;
  }

  public int port() {
    return port;
  }

  /**
   * Creates the bare repository {@code name.git} (HEAD on {@code main}) that the daemon serves and
   * takes pushes to.
   *
   * @param name a repository name, possibly with {@code /} for folders, with or without {@code
   *     .git}
   * @return the repository's directory
   */
  public Path createBareRepo(String name) throws IOException {
    return BareRepositories.create(basePath, name, "daemon.receivepack", "true");
  }

  /** {@code git://127.0.0.1:PORT/name.git}. */
  public String url(String name) {
    return "git://127.0.0.1:" + port + "/" + BareRepositories.path(name);
  }

  /** The daemon's own log (connections, errors), for failure messages. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  public boolean isAlive() {
    return daemon.isAlive();
  }

  /** Kills the daemon with the children serving connections, and deletes its repositories. */
  @Override
  public void close() {
    Commands.destroyTree(daemon.toHandle());
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", log, e.toString());
    }
    Commands.deleteTree(basePath);
  }

  @Override
  public String toString() {
    return "GitDaemonServer[127.0.0.1:" + port + ", " + basePath + "]";
  }

  /** True once the port takes a connection; false if the daemon exits first or never listens. */
  private static boolean awaitListening(Process process, int port)
      throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      } catch (IOException notYet) {
        Thread.sleep(50);
        continue;
      }
      // Someone else may hold the port while our daemon fails to bind it: that one exits at once.
      Thread.sleep(100);
      return process.isAlive();
    }
    return false;
  }
}
