package dev.profileops.syncer.git;

import dev.profileops.host.files.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * SSH for one remote with one identity and strict host key checking, through JGit's Apache MINA
 * sshd transport: a private directory (mode 0700) holds the identity and known_hosts (0600) and an
 * ssh config, and a session factory uses only them — never {@code ~/.ssh}, an agent, or a
 * password. A server whose host key the known_hosts does not list is refused; {@link
 * #hostKeyRejection()} says why. Close it to delete the directory.
 */
public final class SshTransportConfig implements TransportConfigCallback, AutoCloseable {
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  private final Path dir;
  private final SshdSessionFactory factory;
  private final KnownHostsDatabase knownHosts;

  private SshTransportConfig(Path dir, SshdSessionFactory factory, KnownHostsDatabase knownHosts) {
    this.dir = dir;
    this.factory = factory;
    this.knownHosts = knownHosts;
  }

  /**
   * @param identity a private key, OpenSSH format (or PEM), not encrypted
   * @param knownHosts known_hosts lines for the servers to trust
   * @param origin where both came from, for messages (e.g. {@code secret team-a/git-ssh})
   * @throws IllegalArgumentException when the identity or the known_hosts cannot be used
   */
  public static SshTransportConfig create(String identity, String knownHosts, String origin) {
    checkIdentity(identity, origin);
    KnownHostsDatabase database = KnownHostsDatabase.parse(knownHosts, "known_hosts of " + origin);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("profileops-ssh-", PosixFilePermissions.asFileAttribute(DIR_MODE));
      Path identityFile = writePrivate(dir.resolve("identity"), withNewline(identity));
      Path knownHostsFile = writePrivate(dir.resolve("known_hosts"), withNewline(knownHosts));
      Path config = writePrivate(dir.resolve("config"), String.join("\n",
          "Host *",
          "  StrictHostKeyChecking yes",
          "  UserKnownHostsFile " + knownHostsFile,
          "  GlobalKnownHostsFile none",
          "  IdentityFile " + identityFile,
          "  IdentitiesOnly yes",
          "  IdentityAgent none",
          "  PreferredAuthentications publickey",
          "  BatchMode yes",
          ""));
      File home = dir.toFile();
      SshdSessionFactory factory = new SshdSessionFactoryBuilder()
          .setHomeDirectory(home)
          .setSshDirectory(home)
          .setConfigFile(ssh -> config.toFile())
          .setDefaultIdentities(ssh -> List.of(identityFile))
          .setDefaultKnownHostsFiles(ssh -> List.of(knownHostsFile))
          .setPreferredAuthentications("publickey")
          .setServerKeyDatabase((h, s) -> database)
          .setConnectorFactory(null)
          .build(null);
      return new SshTransportConfig(dir, factory, database);
    } catch (IOException e) {
      FileTrees.deleteQuietly(dir);
      throw new UncheckedIOException("cannot prepare ssh files for " + origin, e);
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(dir);
      throw e;
    }
  }

  /** Makes an ssh transport use this identity and these host keys; leaves others alone. */
  @Override
  public void configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(factory);
    }
  }

  /** Why the last server was refused (unknown, changed or revoked host key), or null. */
  public String hostKeyRejection() {
    return knownHosts.rejection();
  }

  /** The private directory holding identity, known_hosts and config; gone after {@link #close()}. */
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    factory.close();
    FileTrees.deleteQuietly(dir);
  }

  /** Fails early, with the origin, on what sshd could not load when connecting. */
  private static void checkIdentity(String identity, String origin) {
    if (identity == null || identity.isBlank()) {
      throw new IllegalArgumentException("identity of " + origin + " is empty");
    }
    if (!identity.contains("-----BEGIN ") || !identity.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException("identity of " + origin + " is not a private key"
          + (identity.startsWith("ssh-") || identity.startsWith("ecdsa-") ? " (it looks like a public key)" : ""));
    }
    try (InputStream in = new ByteArrayInputStream(withNewline(identity).getBytes(StandardCharsets.UTF_8))) {
      Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("identity"), in,
          (session, resource, retry) -> {
            throw new IOException("the key is encrypted; give an unencrypted one");
          });
      Iterator<KeyPair> it = keys == null ? null : keys.iterator();
      if (it == null || !it.hasNext()) {
        throw new IllegalArgumentException("identity of " + origin + " holds no key");
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("identity of " + origin + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static Path writePrivate(Path file, String content) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static String withNewline(String s) {
    String t = s.replace("\r\n", "\n");
    return t.endsWith("\n") ? t : t + "\n";
  }
}
