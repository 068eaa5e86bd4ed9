package dev.profileops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private copy of the host's SELinux policy store ({@code /var/lib/selinux} and
 * {@code /etc/selinux}) under a temporary root, for {@code semodule -p <root>}: tests install and
 * remove real modules with libsemanage without touching the host's policy.
 *
 * <pre>{@code
 * SelinuxStoreCopy.assumeAvailable();
 * try (var store = SelinuxStoreCopy.create()) {
 *   // semodule -n -p store.root() -s default -i ...
 * }
 * }</pre>
 */
public final class SelinuxStoreCopy implements AutoCloseable {
  public static final Path HOST_STORE = Path.of("/var/lib/selinux");
  public static final Path HOST_CONFIG = Path.of("/etc/selinux");
  public static final String STORE_NAME = "default";

  private final Path root;

  private SelinuxStoreCopy(Path root) {
    this.root = root;
  }

  /** Skips the test (fails it under CI) unless semodule and the host's store are there. */
  public static void assumeAvailable() {
    Commands.assumeOrFailInCi(unavailable());
  }

  /** Why a store copy cannot be used here, if it cannot. */
  public static Optional<String> unavailable() {
    if (Commands.find("semodule", "/usr/sbin", "/sbin").isEmpty()) {
      return Optional.of("semodule is not installed (apt-get install semodule-utils policycoreutils)");
    }
    if (!Files.isDirectory(HOST_STORE.resolve(STORE_NAME)) || !Files.isRegularFile(HOST_CONFIG.resolve("semanage.conf"))) {
      return Optional.of("no SELinux policy store at " + HOST_STORE.resolve(STORE_NAME)
          + " (apt-get install selinux-policy-default)");
    }
    return Optional.empty();
  }

  public static SelinuxStoreCopy create() throws IOException {
    Path root = Files.createTempDirectory("profileops-selinux-root-");
    copyTree(HOST_STORE, root.resolve("var/lib/selinux"));
    copyTree(HOST_CONFIG, root.resolve("etc/selinux"));
    return new SelinuxStoreCopy(root);
  }

  /** The policy root to pass as {@code semodule -p}. */
  public Path root() {
    return root;
  }

  /** {@code semodule -lfull} in this copy, for assertions independent of the code under test. */
  public List<String> listFull() throws IOException {
    Path semodule = Commands.find("semodule", "/usr/sbin", "/sbin").orElseThrow();
    var outcome = Commands.run(List.of(semodule.toString(), "-n", "-p", root.toString(), "-s", STORE_NAME, "-lfull"),
        null, Map.of(), Duration.ofMinutes(2)).orThrow();
    return outcome.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().endsWith(".LOCK")) {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  @Override
  public void close() {
    Commands.deleteTree(root);
  }
}
