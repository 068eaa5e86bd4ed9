package dev.profileops.testsupport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command to its end with its output in temporary files, so no pipe can fill up. */
final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  /** What a command did; {@code exitCode} is -1 when it was killed for taking too long. */
  record Outcome(
      List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
    /** The outcome, or an exception naming the command and its output when it did not exit 0. */
    Outcome orThrow() throws IOException {
      if (exitCode != 0 || timedOut) {
        throw new IOException(describe());
      }
      return this;
    }

    String describe() {
      return String.join(" ", command)
          + (timedOut ? " timed out" : " exited " + exitCode)
          + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip())
          + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
    }
  }

  static Outcome run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException {
    Path out = Files.createTempFile("profileops-cmd-", ".out");
    Path err = Files.createTempFile("profileops-cmd-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      LOG.debug("running {}", command);
      Process process = pb.start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        destroyTree(process.toHandle());
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running " + command);
      }
      if (!finished) {
        destroyTree(process.toHandle());
      }
      return new Outcome(
          List.copyOf(command),
          finished ? process.exitValue() : -1,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          !finished);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Kills a process and everything it started, children first, and waits a little for it. */
  static void destroyTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.onExit().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("process {} did not exit after SIGKILL", process.pid());
    }
  }

  /** The first executable file of that name on PATH or in the extra directories. */
  static Optional<Path> find(String name, String... extraDirs) {
    String path = System.getenv().getOrDefault("PATH", "");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    dirs.addAll(List.of(extraDirs));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Deletes a directory tree, best effort. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  LOG.warn("could not delete {}: {}", p, e.toString());
                }
              });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

  /**
   * Skips the calling test with the reason, visibly; under CI (environment variable {@code CI} set
   * and not {@code false}), where the tools are installed on purpose, fails it instead.
   */
  static void assumeOrFailInCi(Optional<String> unavailable) {
    if (unavailable.isEmpty()) {
      return;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
      Assertions.fail("CI must be able to run this test: " + unavailable.get());
    }
    Assumptions.assumeTrue(false, unavailable.get());
  }
}
