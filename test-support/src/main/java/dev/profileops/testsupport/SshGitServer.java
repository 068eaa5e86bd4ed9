package dev.profileops.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OpenSSH server ({@code /usr/sbin/sshd}, Debian's openssh-server) on 127.0.0.1 and a free
 * port, serving the bare repositories of a temporary directory over {@code
 * ssh://root@127.0.0.1:PORT/ABSOLUTE/PATH/NAME.git} to one client key, which it generates. It runs
 * as root with a private configuration (its own host key, public key authentication only) and
 * never reads the machine's {@code /etc/ssh}.
 *
 * <pre>{@code
 * try (SshGitServer ssh = SshGitServer.start(); GitWorkTree work = GitWorkTree.init()) {
 *   Path repo = ssh.createBareRepo("profiles");
 *   work.write("seccomp/a.yaml", "...").commitAll("add a");
 *   work.push(repo.toString(), "main");
 *   // fetch ssh.url("profiles") with identity ssh.clientPrivateKey() and known_hosts ssh.knownHostsLine()
 * }
 * }</pre>
 */
public final class SshGitServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SshGitServer.class);
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final int START_ATTEMPTS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path basePath;
  private final int port;
  private final Process sshd;
  private final Path log;
  private final String hostPublicKey;
  private final String clientPrivateKey;
  private final String clientPublicKey;
  private final Path authorizedKeys;

  private SshGitServer(Path dir, Path basePath, int port, Process sshd, Path log, String hostPublicKey,
      String clientPrivateKey, String clientPublicKey, Path authorizedKeys) {
    this.dir = dir;
    this.basePath = basePath;
    this.port = port;
    this.sshd = sshd;
    this.log = log;
    this.hostPublicKey = hostPublicKey;
    this.clientPrivateKey = clientPrivateKey;
    this.clientPublicKey = clientPublicKey;
    this.authorizedKeys = authorizedKeys;
  }

  /** Why no sshd can serve git here (no sshd, no ssh-keygen, no git, not root), or empty. */
  public static Optional<String> unavailableReason() {
    if (!Files.isExecutable(SSHD)) {
      return Optional.of(SSHD + " is not installed (apt-get install openssh-server)");
    }
    if (Commands.find("ssh-keygen").isEmpty()) {
      return Optional.of("ssh-keygen is not installed (apt-get install openssh-client)");
    }
    if (Commands.find("git-upload-pack", "/usr/bin").isEmpty()) {
      return Optional.of("git is not installed (apt-get install git)");
    }
    try {
      Commands.Outcome id = Commands.run(List.of("id", "-u"), null, GitWorkTree.hermeticEnv(), COMMAND_TIMEOUT);
      if (id.exitCode() != 0 || !id.stdout().strip().equals("0")) {
        return Optional.of("sshd must run as root to let a client log in as root (uid is " + id.stdout().strip() + ")");
      }
    } catch (IOException e) {
      return Optional.of("cannot run id -u: " + e);
    }
    return Optional.empty();
  }

  /**
   * Skips the calling test, with the reason, when no sshd can run here; fails it instead when the
   * environment variable {@code CI} is set.
   */
  public static void assumeAvailable() {
    Commands.assumeOrFailInCi(unavailableReason());
  }

  /**
   * Generates a host key and a client key, starts sshd on 127.0.0.1 and a free port (picking another
   * if the port was taken meanwhile) and returns once it greets with its SSH banner.
   */
  public static SshGitServer start() throws IOException {
    Path dir = Files.createTempDirectory("profileops-sshd-");
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Path base = Files.createDirectories(dir.resolve("repos"));
      Path hostKey = dir.resolve("ssh_host_ed25519_key");
      keygen(hostKey, "profileops-test-host");
      Path clientKey = dir.resolve("client_ed25519");
      keygen(clientKey, "profileops-test-client");
      String hostPublic = publicKeyOf(hostKey);
      String clientPublic = publicKeyOf(clientKey);
      String clientPrivate = Files.readString(clientKey, StandardCharsets.US_ASCII);
      Path authorizedKeys = dir.resolve("authorized_keys");
      Files.writeString(authorizedKeys, clientPublic + "\n", StandardCharsets.US_ASCII);
      // sshd refuses to start without its privilege separation directory; the package's service makes it.
      Path privsep = Path.of("/run/sshd");
      if (!Files.isDirectory(privsep)) {
        Files.createDirectories(privsep);
        Files.setPosixFilePermissions(privsep, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      IOException last = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        int port = LoopbackServers.freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, config(port, hostKey, dir.resolve("sshd.pid"), authorizedKeys), StandardCharsets.US_ASCII);
        Path log = dir.resolve("sshd-" + attempt + ".log");
        ProcessBuilder pb = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString());
        pb.environment().putAll(GitWorkTree.hermeticEnv());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        try {
          if (awaitBanner(process, port)) {
            LOG.debug("sshd pid {} serving {} on 127.0.0.1:{}", process.pid(), base, port);
            return new SshGitServer(dir, base, port, process, log, hostPublic, clientPrivate, clientPublic, authorizedKeys);
          }
          last = new IOException("sshd on port " + port + " did not start: " + Files.readString(log).strip());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          Commands.destroyTree(process.toHandle());
          throw new IOException("interrupted while starting sshd", e);
        }
        LOG.warn("attempt {} to start sshd failed: {}", attempt, last.getMessage());
        Commands.destroyTree(process.toHandle());
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      Commands.deleteTree(dir);
      throw e;
    }
  }

  /** The directory holding the repositories; {@code url(name)} is {@code basePath()/name.git}. */
  public Path basePath() {
    return basePath;
  }

  public int port() {
    return port;
  }

  /**
   * Creates the bare repository {@code name.git} (HEAD on {@code main}) that sshd serves.
   *
   * @return the repository's directory, which a test pushes to directly
   */
  public Path createBareRepo(String name) throws IOException {
    return BareRepositories.create(basePath, name);
  }

  /** {@code ssh://root@127.0.0.1:PORT/ABSOLUTE/PATH/name.git}. */
  public String url(String name) {
    return "ssh://root@127.0.0.1:" + port + basePath.resolve(BareRepositories.path(name));
  }

  /** The client's private key (OpenSSH format, unencrypted), the one sshd lets in. */
  public String clientPrivateKey() {
    return clientPrivateKey;
  }

  /** The client's public key line, {@code ssh-ed25519 AAAA... comment}. */
  public String clientPublicKey() {
    return clientPublicKey;
  }

  /** The server's host key, {@code ssh-ed25519 AAAA...}, without a comment. */
  public String hostPublicKey() {
    return hostPublicKey;
  }

  /** A known_hosts line for this server: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + port + " " + hostPublicKey;
  }

  /** Lets one more public key ({@code type base64 [comment]}) log in. */
  public void authorize(String publicKeyLine) throws IOException {
    Files.writeString(authorizedKeys, publicKeyLine.strip() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
  }

  /** sshd's own log (connections, authentication, errors), for failure messages. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  public boolean isAlive() {
    return sshd.isAlive();
  }

  /** Kills sshd with its sessions and deletes its keys, configuration and repositories. */
  @Override
  public void close() {
    Commands.destroyTree(sshd.toHandle());
    Commands.deleteTree(dir);
  }

  @Override
  public String toString() {
    return "SshGitServer[127.0.0.1:" + port + ", " + basePath + "]";
  }

  private static String config(int port, Path hostKey, Path pidFile, Path authorizedKeys) {
    return String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + hostKey,
        "PidFile " + pidFile,
        "AuthorizedKeysFile " + authorizedKeys,
        "AuthenticationMethods publickey",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "AllowUsers root",
        "UsePAM no",
        "StrictModes no",
        "UseDNS no",
        "PrintMotd no",
        "PrintLastLog no",
        "PermitTTY no",
        "X11Forwarding no",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "MaxStartups 100",
        "LogLevel VERBOSE",
        "");
  }

  private static void keygen(Path key, String comment) throws IOException {
    Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()), null,
        GitWorkTree.hermeticEnv(), COMMAND_TIMEOUT).orThrow();
  }

  /** {@code type base64} of a key's {@code .pub} file, without the comment. */
  private static String publicKeyOf(Path key) throws IOException {
    String[] parts = Files.readString(Path.of(key + ".pub"), StandardCharsets.US_ASCII).strip().split("\\s+");
    if (parts.length < 2) {
      throw new IOException("not a public key: " + key + ".pub");
    }
    return parts[0] + " " + parts[1];
  }

  /** True once the port greets with {@code SSH-2.0-}; false if sshd exits first or never does. */
  private static boolean awaitBanner(Process process, int port) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        byte[] banner = new byte[8];
        int n = in.readNBytes(banner, 0, banner.length);
        if (n == banner.length && new String(banner, StandardCharsets.US_ASCII).equals("SSH-2.0-")) {
          // Someone else may hold the port while our sshd fails to bind it: that one exits at once.
          Thread.sleep(100);
          return process.isAlive();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return false;
  }
}
