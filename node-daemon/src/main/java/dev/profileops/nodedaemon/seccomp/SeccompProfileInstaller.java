package dev.profileops.nodedaemon.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes seccomp profiles where the kubelet looks for {@code localhostProfile: operator/<name>.json}:
 * {@code <kubeletDir>/seccomp/operator/<name>.json}.
 *
 * <p>Files are replaced atomically (temp file in the same directory, fsync, rename, fsync of the
 * directory), so a container starting meanwhile reads either the old or the new profile, never half of
 * one, and a file is only rewritten when its bytes change. The directory may hold files others put
 * there, so the names this installer wrote are recorded in {@value #OWNED_FILE} and only those are
 * ever deleted. Installing a name whose file someone else wrote replaces and adopts it: the path is
 * that profile's address, the same one SPO would write.
 *
 * <p>Safe for concurrent use within one process; two processes installing into the same directory at
 * once (say the daemon and the CLI's local mode) are not coordinated.
 */
public final class SeccompProfileInstaller implements SeccompProfileFiles {
  /** Record of the names this installer wrote; starts with a dot so no profile name can collide. */
  public static final String OWNED_FILE = ".profileops-installed.json";

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME_LENGTH = 253;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  /** @param kubeletDir the kubelet's root directory, usually {@code /var/lib/kubelet} */
  public SeccompProfileInstaller(Path kubeletDir) {
    this.directory = kubeletDir.toAbsolutePath().normalize().resolve("seccomp").resolve("operator");
  }

  /** {@code <kubeletDir>/seccomp/operator}. */
  public Path directory() {
    return directory;
  }

  /** Whether a name may become a file name here: a DNS-1123 subdomain, so no '/', no "..". */
  public static boolean isValidName(String name) {
    return name != null
        && name.length() <= MAX_NAME_LENGTH
        && !name.contains("/")
        && !name.contains("..")
        && DNS1123_SUBDOMAIN.matcher(name).matches();
  }

  @Override
  public Path pathFor(String name) {
    requireValidName(name);
    return directory.resolve(name + ".json");
  }

  @Override
  public synchronized InstallResult install(String name, byte[] json) throws IOException {
    Path target = pathFor(name);
    Files.createDirectories(directory);
    Set<String> owned = readOwned();
    // Record ownership before writing: a crash in between leaves a recorded name, never an orphan file.
    if (owned.add(name)) {
      writeOwned(owned);
    }
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(target), json)) {
      return InstallResult.Unchanged;
    }
    writeAtomically(target, json);
    return InstallResult.Written;
  }

  @Override
  public synchronized boolean remove(String name) throws IOException {
    Path target = pathFor(name);
    Set<String> owned = readOwned();
    if (!owned.contains(name)) {
      return false;
    }
    if (Files.deleteIfExists(target)) {
      syncDirectory();
    }
    owned.remove(name);
    writeOwned(owned);
    return true;
  }

  @Override
  public synchronized Set<String> installedNames() throws IOException {
    return Collections.unmodifiableSet(readOwned());
  }

  private static void requireValidName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("not a valid profile name (DNS-1123 subdomain): " + name);
    }
  }

  private Set<String> readOwned() throws IOException {
    Set<String> names = new TreeSet<>();
    Path record = directory.resolve(OWNED_FILE);
    if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
      return names;
    }
    JsonNode installed = JSON.readTree(record.toFile()).path("installed");
    for (JsonNode name : installed) {
      // An edited record must not lead to deleting anything outside this directory.
      if (isValidName(name.asText())) {
        names.add(name.asText());
      }
    }
    return names;
  }

  private void writeOwned(Set<String> names) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    names.stream().sorted().forEach(root.putArray("installed")::add);
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    writeAtomically(directory.resolve(OWNED_FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // Temp files start as 0600; profiles are world-readable like every other file the kubelet reads.
      PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      if (posix != null) {
        posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory();
  }

  /** Makes the rename itself durable. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory for fsync; the rename has happened either way.
    }
  }
}
