package dev.profileops.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a shell script in a real container under {@code runc}, optionally confined by an OCI seccomp
 * profile, and hands back its exit code and output.
 *
 * <p>Each {@link #run} builds a fresh OCI bundle in a temporary directory: a root file system
 * holding a static busybox with its applets linked in {@code /bin} and an empty {@code /tmp}, and
 * the {@code config.json} that {@code runc spec} writes, edited to run {@code /bin/sh -c SCRIPT}
 * without a terminal on a writable root, with {@code linux.seccomp} set to the given profile. The
 * container gets a unique id, {@link #timeout()} to finish, and is always removed with {@code runc
 * delete -f}, its bundle deleted.
 *
 * <p>Needs root, {@code runc} and a statically linked busybox ({@code busybox-static} on Debian).
 * Tests call {@link #assumeAvailable()} first: it skips the test, naming what is missing, unless
 * the environment variable {@code CI} is set, where it fails it.
 */
public final class RuncContainer {
  private static final Logger LOG = LoggerFactory.getLogger(RuncContainer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String[] SBIN_DIRS = {"/usr/local/sbin", "/usr/sbin", "/sbin"};

  /** The busybox applets linked into every container's {@code /bin}. */
  public static final List<String> DEFAULT_APPLETS =
      List.of("sh", "mkdir", "echo", "ls", "cat", "touch", "rm", "id", "sleep", "true");

  /** How long a container may run by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static volatile Optional<String> unavailable;

  private final Path runc;
  private final Path busybox;
  private final List<String> applets;
  private final Duration timeout;
  private final List<String> wrapper;

  /**
   * What one container run did. {@code exitCode} is the script's exit status (128 + signal when a
   * signal ended it, e.g. 159 for a seccomp kill with SIGSYS), or -1 when it {@code timedOut}.
   * {@code stderr} holds runc's own complaints too.
   */
  public record Result(
      String containerId, int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }

    @Override
    public String toString() {
      return "container "
          + containerId
          + (timedOut ? " timed out" : " exited " + exitCode)
          + "\nstdout: "
          + stdout.strip()
          + "\nstderr: "
          + stderr.strip();
    }
  }

  private RuncContainer(Path runc, Path busybox, List<String> applets, Duration timeout, List<String> wrapper) {
    this.runc = runc;
    this.busybox = busybox;
    this.applets = List.copyOf(applets);
    this.timeout = timeout;
    this.wrapper = List.copyOf(wrapper);
  }

  /**
   * A fixture with the {@code runc} and busybox found on this machine, {@link #DEFAULT_APPLETS} and
   * {@link #DEFAULT_TIMEOUT}.
   *
   * @throws IllegalStateException when {@link #unavailableReason()} has a reason
   */
  public static RuncContainer create() {
    unavailableReason()
        .ifPresent(
            reason -> {
              throw new IllegalStateException("runc containers cannot run here: " + reason);
            });
    return new RuncContainer(
        findRunc().orElseThrow(), findBusybox().orElseThrow(), DEFAULT_APPLETS, DEFAULT_TIMEOUT, List.of());
  }

  /** The same fixture with more busybox applets linked in {@code /bin} (e.g. {@code unshare}). */
  public RuncContainer withApplets(String... more) {
    Set<String> all = new LinkedHashSet<>(applets);
    for (String applet : more) {
      if (!applet.matches("[A-Za-z0-9_.\\[-]+")) {
        throw new IllegalArgumentException("not an applet name: " + applet);
      }
      all.add(applet);
    }
    return new RuncContainer(runc, busybox, new ArrayList<>(all), timeout, wrapper);
  }

  /** The same fixture with another time limit per container. */
  public RuncContainer withTimeout(Duration limit) {
    return new RuncContainer(runc, busybox, applets, limit, wrapper);
  }

  /**
   * The same fixture with {@code runc run} started through another command, e.g. {@code strace -f
   * -o FILE} (benchmarks compare what such tools cost a container).
   */
  public RuncContainer withRuntimeWrapper(String... command) {
    return new RuncContainer(runc, busybox, applets, timeout, List.of(command));
  }

  private List<String> runCommand(Path bundle, String id) {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(runc.toString(), "run", "--bundle", bundle.toString(), id));
    return command;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Why containers cannot run here (not Linux, not root, no runc, no static busybox, or runc
   * failing to run a trivial container), or empty when they can. Worked out once per JVM.
   */
  public static Optional<String> unavailableReason() {
    Optional<String> reason = unavailable;
    if (reason == null) {
      synchronized (RuncContainer.class) {
        reason = unavailable;
        if (reason == null) {
          reason = probe();
          unavailable = reason;
          reason.ifPresent(r -> LOG.info("runc containers unavailable: {}", r));
        }
      }
    }
    return reason;
  }

  /**
   * Skips the calling test, with the reason, when containers cannot run here; fails it instead when
   * the environment variable {@code CI} is set (CI installs runc and busybox-static, so there a
   * missing tool is a broken setup, not a reason to skip).
   */
  public static void assumeAvailable() {
    Commands.assumeOrFailInCi(unavailableReason());
  }

  /**
   * Runs the lines of {@code shellScript} (joined with newlines) as {@code /bin/sh -c} in a new
   * container.
   *
   * @param containerIdPrefix the start of the container id (a random suffix makes it unique);
   *     characters runc does not take in ids become {@code -}
   * @param seccompJsonOrNull a file holding a runtime-spec {@code linux.seccomp} object, set as it
   *     is; {@code null} for no seccomp filter
   */
  public Result run(String containerIdPrefix, Path seccompJsonOrNull, String... shellScript)
      throws IOException {
    JsonNode seccomp = null;
    if (seccompJsonOrNull != null) {
      seccomp = JSON.readTree(seccompJsonOrNull.toFile());
      if (seccomp == null || !seccomp.isObject()) {
        throw new IllegalArgumentException(
            seccompJsonOrNull + " does not hold a JSON object (a linux.seccomp profile)");
      }
    }
    return runWithSeccomp(containerIdPrefix, seccomp, shellScript);
  }

  /**
   * As {@link #run(String, Path, String...)}, with the {@code linux.seccomp} object already parsed
   * ({@code null} for none).
   */
  public Result runWithSeccomp(
      String containerIdPrefix, JsonNode seccompOrNull, String... shellScript) throws IOException {
    String id = containerId(containerIdPrefix);
    Path bundle = Files.createTempDirectory("profileops-runc-" + id + "-");
    try {
      buildRootfs(bundle.resolve("rootfs"));
      writeConfig(bundle, seccompOrNull, String.join("\n", shellScript));
      LOG.debug("running container {} in {}", id, bundle);
      Commands.Outcome outcome =
          Commands.run(
              runCommand(bundle, id),
              bundle,
              Map.of(),
              timeout);
      return new Result(
          id, outcome.exitCode(), outcome.stdout(), outcome.stderr(), outcome.timedOut());
    } finally {
      remove(id);
      Commands.deleteTree(bundle);
    }
  }

  /** Told the container's init pid once runc has made its namespaces, before the workload starts. */
  @FunctionalInterface
  public interface CreatedListener {
    void created(long initPid) throws Exception;
  }

  /**
   * As {@link #runWithSeccomp}, calling {@code listener} with the init pid of the container while
   * its namespaces exist and before its workload runs, through an OCI {@code createRuntime} hook
   * (what oci-seccomp-bpf-hook uses): the hook hands runc's state to this JVM through a FIFO and
   * waits on a second FIFO until the listener has returned. Containers that exit in milliseconds
   * are therefore seen all the same.
   */
  public Result runObserved(
      String containerIdPrefix, JsonNode seccompOrNull, CreatedListener listener, String... shellScript)
      throws IOException {
    String id = containerId(containerIdPrefix);
    Path bundle = Files.createTempDirectory("profileops-runc-" + id + "-");
    try {
      buildRootfs(bundle.resolve("rootfs"));
      writeConfig(bundle, seccompOrNull, String.join("\n", shellScript));
      Path state = bundle.resolve("created.fifo");
      Path go = bundle.resolve("go.fifo");
      Commands.run(List.of("mkfifo", state.toString(), go.toString()), bundle, Map.of(), timeout).orThrow();
      addCreateRuntimeHook(bundle, state, go);
      HookWatcher watcher = new HookWatcher(state, go, listener);
      Thread thread = new Thread(watcher, "runc-hook-" + id);
      thread.setDaemon(true);
      thread.start();
      Commands.Outcome outcome =
          Commands.run(runCommand(bundle, id), bundle, Map.of(), timeout);
      if (thread.isAlive()) {
        // runc ended without the hook running (or finishing): give the watcher the other ends.
        try (var s = new java.io.RandomAccessFile(state.toFile(), "rw");
            var g = new java.io.RandomAccessFile(go.toFile(), "rw")) {
          thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted waiting for the hook watcher");
        }
      }
      if (watcher.failure != null) {
        throw new IOException("the created listener failed for container " + id, watcher.failure);
      }
      return new Result(id, outcome.exitCode(), outcome.stdout(), outcome.stderr(), outcome.timedOut());
    } finally {
      remove(id);
      Commands.deleteTree(bundle);
    }
  }

  private void addCreateRuntimeHook(Path bundle, Path state, Path go) throws IOException {
    Path file = bundle.resolve("config.json");
    ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
    ObjectNode hook = object(config, "hooks").putArray("createRuntime").addObject();
    hook.put("path", "/bin/sh");
    hook.putArray("args").add("sh").add("-c").add("cat > \"$0\" && read go < \"$1\"")
        .add(state.toString()).add(go.toString());
    hook.put("timeout", (int) Math.max(1, timeout.toSeconds()));
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
  }

  /** Reads runc's state from the hook, tells the listener, then lets the hook (and runc) go on. */
  private static final class HookWatcher implements Runnable {
    private final Path state;
    private final Path go;
    private final CreatedListener listener;
    private volatile Exception failure;

    HookWatcher(Path state, Path go, CreatedListener listener) {
      this.state = state;
      this.go = go;
      this.listener = listener;
    }

    @Override
    public void run() {
      try {
        byte[] json;
        try (InputStream in = Files.newInputStream(state)) {
          json = in.readAllBytes();
        }
        if (json.length > 0) {
          try {
            listener.created(JSON.readTree(json).path("pid").asLong());
          } catch (Exception e) {
            failure = e;
          }
        }
        try (var out = Files.newOutputStream(go)) {
          out.write("go\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
  }

  private void buildRootfs(Path rootfs) throws IOException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("tmp"));
    Path box = bin.resolve("busybox");
    Files.copy(busybox, box);
    box.toFile().setExecutable(true, false);
    for (String applet : applets) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
  }

  private void writeConfig(Path bundle, JsonNode seccomp, String script) throws IOException {
    Commands.run(
            List.of(runc.toString(), "spec", "--bundle", bundle.toString()),
            bundle,
            Map.of(),
            timeout)
        .orThrow();
    Path file = bundle.resolve("config.json");
    ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
    ObjectNode process = object(config, "process");
    process.put("terminal", false);
    ArrayNode args = process.putArray("args");
    args.add("/bin/sh").add("-c").add(script);
    process.put("cwd", "/");
    ObjectNode root = object(config, "root");
    root.put("path", "rootfs");
    root.put("readonly", false);
    ObjectNode linux = object(config, "linux");
    if (seccomp != null) {
      linux.set("seccomp", seccomp.deepCopy());
    } else {
      linux.remove("seccomp");
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
  }

  private static ObjectNode object(ObjectNode parent, String name) {
    JsonNode child = parent.get(name);
    return child instanceof ObjectNode existing ? existing : parent.putObject(name);
  }

  private void remove(String id) {
    try {
      Commands.Outcome deleted =
          Commands.run(
              List.of(runc.toString(), "delete", "--force", id), null, Map.of(), timeout);
      if (deleted.exitCode() != 0 && !deleted.stderr().contains("does not exist")) {
        LOG.warn("runc delete: {}", deleted.describe());
      }
    } catch (IOException e) {
      LOG.warn("runc delete -f {} failed: {}", id, e.toString());
    }
  }

  private static String containerId(String prefix) {
    String clean = prefix == null ? "" : prefix.replaceAll("[^A-Za-z0-9_+.-]", "-");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    if (clean.isEmpty()) {
      clean = "profileops";
    }
    return clean + "-" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffffL);
  }

  private static Optional<String> probe() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("runc containers need Linux, this is " + System.getProperty("os.name"));
    }
    try {
      long uid = effectiveUid();
      if (uid != 0) {
        return Optional.of("runc containers need root, this runs as uid " + uid);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.of("cannot tell the user id from /proc/self/status: " + e);
    }
    Optional<Path> runc = findRunc();
    if (runc.isEmpty()) {
      return Optional.of(
          "runc is not installed (not on PATH nor in /usr/sbin; apt-get install runc)");
    }
    Optional<Path> busybox = findBusybox();
    if (busybox.isEmpty()) {
      return Optional.of("busybox is not installed (apt-get install busybox-static)");
    }
    try {
      if (!isStatic(busybox.get())) {
        return Optional.of(
            busybox.get()
                + " is dynamically linked and cannot run alone in a container"
                + " (apt-get install busybox-static)");
      }
    } catch (IOException e) {
      return Optional.of("cannot read " + busybox.get() + ": " + e);
    }
    RuncContainer fixture =
        new RuncContainer(runc.get(), busybox.get(), List.of("sh", "echo"), DEFAULT_TIMEOUT, List.of());
    try {
      Result result = fixture.runWithSeccomp("profileops-probe", null, "echo probe-ok");
      if (!result.succeeded() || !result.stdout().contains("probe-ok")) {
        return Optional.of("runc cannot run a busybox container here: " + result);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.of("runc cannot run a busybox container here: " + e);
    }
    return Optional.empty();
  }

  private static Optional<Path> findRunc() {
    return Commands.find("runc", SBIN_DIRS);
  }

  private static Optional<Path> findBusybox() {
    Path bin = Path.of("/bin/busybox");
    if (Files.isRegularFile(bin) && Files.isExecutable(bin)) {
      return Optional.of(bin);
    }
    return Commands.find("busybox", SBIN_DIRS);
  }

  private static long effectiveUid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    throw new IOException("no Uid line");
  }

  /** True when the ELF file has no program interpreter, i.e. needs no dynamic loader. */
  static boolean isStatic(Path elf) throws IOException {
    byte[] header = new byte[64];
    try (InputStream in = Files.newInputStream(elf)) {
      if (in.readNBytes(header, 0, 64) < 52
          || header[0] != 0x7f
          || header[1] != 'E'
          || header[2] != 'L'
          || header[3] != 'F') {
        throw new IOException(elf + " is not an ELF file");
      }
    }
    boolean is64 = header[4] == 2;
    ByteOrder order = header[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer h = ByteBuffer.wrap(header).order(order);
    long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
    int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
    int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
    byte[] all = Files.readAllBytes(elf);
    ByteBuffer file = ByteBuffer.wrap(all).order(order);
    for (int i = 0; i < phnum; i++) {
      long at = phoff + (long) i * phentsize;
      if (at + 4 > all.length) {
        throw new IOException(elf + ": program headers past the end of the file");
      }
      if (file.getInt((int) at) == 3 /* PT_INTERP */) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "RuncContainer[" + runc + ", " + busybox + ", timeout " + timeout + "]";
  }
}
