package dev.profileops.nodedaemon.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
 * <p>Safe for concurrent use within one process: installs and removals of one name are serialized,
 * different names proceed in parallel, and the record is kept in memory (read again only when the file
 * on disk changed under it) and written once for the names several threads added meanwhile (group
 * commit), so a burst of installs costs neither a record write per name nor one global lock. Two
 * processes installing into the same directory at once (say the daemon and the CLI's local mode) are
 * not coordinated.
 */
public final class SeccompProfileInstaller implements SeccompProfileFiles {
  /** Record of the names this installer wrote; starts with a dot so no profile name can collide. */
  public static final String OWNED_FILE = ".profileops-installed.json";

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME_LENGTH = 253;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Object MISSING = "missing";
  private static final Object UNKNOWN = new Object();

  private final Path directory;
  private final Object[] nameLocks = new Object[64];
  /** The ownership record as last read or written here; guarded by itself. */
  private final Record record = new Record();

  private static final class Record {
    Set<String> owned = new TreeSet<>();
    /** Names waiting for the next record write. */
    final Set<String> pendingAdds = new HashSet<>();
    boolean writing;
    /** {@link #signatureOf} of the file {@link #owned} came from. */
    Object signature = UNKNOWN;
  }

  /** @param kubeletDir the kubelet's root directory, usually {@code /var/lib/kubelet} */
  public SeccompProfileInstaller(Path kubeletDir) {
    this.directory = kubeletDir.toAbsolutePath().normalize().resolve("seccomp").resolve("operator");
    Arrays.setAll(nameLocks, i -> new Object());
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
  public InstallResult install(String name, byte[] json) throws IOException {
    Path target = pathFor(name);
    synchronized (lockFor(name)) {
      Files.createDirectories(directory);
      // Record ownership before writing: a crash in between leaves a recorded name, never an orphan file.
      recordOwned(name);
      if (hasBytes(target, json)) {
        return InstallResult.Unchanged;
      }
      writeAtomically(target, json);
      return InstallResult.Written;
    }
  }

  /**
   * Whether the name is recorded as ours and its file has exactly these bytes: nothing for
   * {@link #install} to do. Reads, never writes; takes no lock that installs of other names wait for.
   */
  public boolean isInstalledAs(String name, byte[] json) throws IOException {
    Path target = pathFor(name);
    synchronized (record) {
      refreshIfChanged();
      if (!record.owned.contains(name)) {
        return false;
      }
    }
    return hasBytes(target, json);
  }

  @Override
  public boolean remove(String name) throws IOException {
    Path target = pathFor(name);
    synchronized (lockFor(name)) {
      synchronized (record) {
        refreshIfChanged();
        if (!record.owned.contains(name)) {
          return false;
        }
      }
      if (Files.deleteIfExists(target)) {
        syncDirectory();
      }
      updateRecord(name, false);
      return true;
    }
  }

  @Override
  public Set<String> installedNames() throws IOException {
    synchronized (record) {
      refreshIfChanged();
      return Collections.unmodifiableSet(new TreeSet<>(record.owned));
    }
  }

  /**
   * Records the names as installed by us in one write of the ownership record, ahead of installing
   * them: a start-up with many profiles then writes the record once, not once per profile.
   */
  @Override
  public void claim(Collection<String> names) throws IOException {
    List<String> valid = names.stream().filter(SeccompProfileInstaller::isValidName).toList();
    if (!valid.isEmpty()) {
      Files.createDirectories(directory);
      updateRecord(valid, true);
    }
  }

  /** The per-name lock: installs and removals of one name are ordered, other names go on meanwhile. */
  private Object lockFor(String name) {
    return nameLocks[Math.floorMod(name.hashCode(), nameLocks.length)];
  }

  private static boolean hasBytes(Path target, byte[] json) throws IOException {
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      // A size that differs settles it without reading the file.
      return Files.size(target) == json.length && Arrays.equals(Files.readAllBytes(target), json);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void recordOwned(String name) throws IOException {
    synchronized (record) {
      refreshIfChanged();
      if (record.owned.contains(name)) {
        return;
      }
    }
    updateRecord(name, true);
  }

  /**
   * Adds or drops a name in the ownership record and returns once a record with that change is on
   * disk. Group commit: names added by several threads while one record write is in progress go into
   * the next write together, so a burst of new profiles does not write the whole record once per name.
   */
  private void updateRecord(String name, boolean add) throws IOException {
    updateRecord(List.of(name), add);
  }

  private void updateRecord(Collection<String> names, boolean add) throws IOException {
    Set<String> next;
    synchronized (record) {
      while (true) {
        if (names.stream().allMatch(name -> record.owned.contains(name) == add && !record.pendingAdds.contains(name))) {
          return;
        }
        if (add) {
          names.stream().filter(name -> !record.owned.contains(name)).forEach(record.pendingAdds::add);
        }
        if (!record.writing) {
          break;
        }
        try {
          record.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the ownership record");
        }
      }
      refreshIfChanged();
      next = new TreeSet<>(record.owned);
      next.addAll(record.pendingAdds);
      if (!add) {
        next.removeAll(names);
      }
      record.pendingAdds.clear();
      record.writing = true;
    }
    Object written = null;
    try {
      written = writeOwned(next);
    } finally {
      synchronized (record) {
        record.writing = false;
        if (written != null) {
          record.owned = next;
          record.signature = written;
        } else {
          // Failed: read the file again next time; the waiting callers put their names back themselves.
          record.signature = UNKNOWN;
        }
        record.notifyAll();
      }
    }
  }

  /** Reads the record again when the file on disk is not the one last read or written here. */
  private void refreshIfChanged() throws IOException {
    if (record.writing) {
      // The writer replaces the file meanwhile and sets the signature when done.
      return;
    }
    Object now = signatureOf(directory.resolve(OWNED_FILE));
    if (!now.equals(record.signature)) {
      record.owned = readOwned();
      record.signature = now;
    }
  }

  /** Inode, size and modification time, or {@link #MISSING}: changes whenever someone edits or replaces the file. */
  private static Object signatureOf(Path file) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        return MISSING;
      }
      return List.of(Objects.requireNonNullElse(attributes.fileKey(), file.toString()), attributes.size(),
          attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    } catch (NoSuchFileException e) {
      return MISSING;
    }
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

  /** Writes the record; the signature of the file written. */
  private Object writeOwned(Set<String> names) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    names.stream().sorted().forEach(root.putArray("installed")::add);
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    return writeAtomically(directory.resolve(OWNED_FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces the file atomically; the signature of the new file (taken before the rename keeps it). */
  private Object writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
    Object signature;
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
      signature = signatureOf(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory();
    return signature;
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
