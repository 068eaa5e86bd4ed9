package dev.profileops.syncer.verify;

import dev.profileops.testsupport.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs gpg, ssh-keygen and git for tests that sign commits with real keys. A missing tool skips the
 * test with the reason, except when CI is set: there it fails, so CI cannot pass without the tools.
 */
final class SigningTools {
  private SigningTools() {}

  /** Why the tools cannot be used (which are missing), or null when all are on the PATH. */
  static String missing(String... tools) {
    List<String> missing = new ArrayList<>();
    for (String tool : tools) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    return missing.isEmpty() ? null : "signing tests need " + String.join(", ", missing)
        + " on the PATH (Debian packages gnupg, openssh-client, git)";
  }

  /**
   * Skips the calling test (or, under CI, fails it) unless every tool is on the PATH. Call it per test
   * ({@code @BeforeEach}): an assumption in {@code @BeforeAll} makes the tests vanish from the report
   * instead of showing as skipped.
   */
  static void requireTools(String... tools) {
    Prerequisites.require(Optional.ofNullable(missing(tools)));
  }

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command to its end (30 s at most) and returns its stdout; throws with its output when it fails. */
  static String run(Path dir, Map<String, String> env, byte[] stdin, String... command) throws IOException {
    Path in = Files.createTempFile("sig-in-", ".tmp");
    Path out = Files.createTempFile("sig-out-", ".tmp");
    Path err = Files.createTempFile("sig-err-", ".tmp");
    try {
      Files.write(in, stdin == null ? new byte[0] : stdin);
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.environment().remove("SSH_AUTH_SOCK");
      pb.environment().putAll(env);
      pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + "\nstdout: " + stdout
            + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdout;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
