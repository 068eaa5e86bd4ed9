package dev.profileops.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A git work tree driven through the git CLI, for tests that need real commits and pushes: {@code
 * init} on branch {@code main} with a test identity, {@link #write}, {@link #delete}, {@link
 * #commitAll} and {@link #push}.
 *
 * <p>git runs without the machine's system and global configuration (so no signing, hooks or
 * default branch settings leak in) and never prompts.
 */
public final class GitWorkTree implements AutoCloseable {
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final boolean ownsDir;

  private GitWorkTree(Path dir, boolean ownsDir) {
    this.dir = dir;
    this.ownsDir = ownsDir;
  }

  /** A new repository in a new temporary directory, which {@link #close()} deletes. */
  public static GitWorkTree init() throws IOException {
    Path dir = Files.createTempDirectory("profileops-worktree-");
    try {
      return init(dir, true);
    } catch (IOException | RuntimeException e) {
      Commands.deleteTree(dir);
      throw e;
    }
  }

  /** A new repository in {@code dir} (created if missing), which {@link #close()} leaves alone. */
  public static GitWorkTree init(Path dir) throws IOException {
    return init(dir, false);
  }

  private static GitWorkTree init(Path where, boolean owns) throws IOException {
    Path dir = where.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    GitWorkTree tree = new GitWorkTree(dir, owns);
    tree.git("init", "--quiet", "--initial-branch=main");
    tree.git("config", "user.name", "ProfileOps Test");
    tree.git("config", "user.email", "test@profileops.invalid");
    tree.git("config", "commit.gpgsign", "false");
    return tree;
  }

  public Path dir() {
    return dir;
  }

  /** Writes a file (UTF-8), creating its folders; the path is relative to the work tree. */
  public GitWorkTree write(String relativePath, String content) throws IOException {
    Path file = resolve(relativePath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return this;
  }

  /** Deletes a file or a folder with everything in it; the next {@link #commitAll} records it. */
  public GitWorkTree delete(String relativePath) throws IOException {
    Path target = resolve(relativePath);
    if (!Files.exists(target)) {
      throw new IOException(relativePath + " does not exist in " + dir);
    }
    Commands.deleteTree(target);
    return this;
  }

  /**
   * Stages every change (new, changed, deleted files) and commits it, even when nothing changed;
   * returns the commit id.
   */
  public String commitAll(String message) throws IOException {
    git("add", "--all");
    git("commit", "--quiet", "--allow-empty", "--message", message);
    return head();
  }

  /** Pushes the current commit to {@code branch} of the remote at {@code url}. */
  public void push(String url, String branch) throws IOException {
    git("push", "--quiet", url, "HEAD:refs/heads/" + branch);
  }

  /** As {@link #push}, replacing the remote branch even when it is not an ancestor. */
  public void forcePush(String url, String branch) throws IOException {
    git("push", "--quiet", "--force", url, "HEAD:refs/heads/" + branch);
  }

  /** The id of the current commit. */
  public String head() throws IOException {
    return git("rev-parse", "HEAD").strip();
  }

  /** Runs any git command in the work tree; returns its standard output, throws if it fails. */
  public String git(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return Commands.run(command, dir, hermeticEnv(), GIT_TIMEOUT).orThrow().stdout();
  }

  /** Deletes the work tree if {@link #init()} made it. */
  @Override
  public void close() {
    if (ownsDir) {
      Commands.deleteTree(dir);
    }
  }

  @Override
  public String toString() {
    return "GitWorkTree[" + dir + "]";
  }

  private Path resolve(String relativePath) {
    Path path = dir.resolve(relativePath).normalize();
    if (!path.startsWith(dir) || path.equals(dir) || path.startsWith(dir.resolve(".git"))) {
      throw new IllegalArgumentException("not a path inside the work tree: " + relativePath);
    }
    return path;
  }

  /** The environment every git command of this library runs with. */
  static Map<String, String> hermeticEnv() {
    return Map.of(
        "GIT_CONFIG_NOSYSTEM", "1",
        "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_TERMINAL_PROMPT", "0",
        "LC_ALL", "C");
  }
}
