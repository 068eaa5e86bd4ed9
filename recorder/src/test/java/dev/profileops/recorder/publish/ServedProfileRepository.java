package dev.profileops.recorder.publish;

import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A profile repository served by a real {@code git daemon} on loopback, as the recorder's tests need
 * it: {@code team/profiles} seeded with files on {@code main}, the seed work tree kept for further
 * commits, and git commands run on the server's bare repository to see what a publish pushed. Skips
 * (fails under CI) where {@code git daemon} is missing.
 */
public final class ServedProfileRepository implements AutoCloseable {
  private final GitDaemonServer server;
  private final GitWorkTree seed;
  private final Path bare;
  private final String url;
  private String mainHead;

  private ServedProfileRepository(GitDaemonServer server, GitWorkTree seed, Path bare) {
    this.server = server;
    this.seed = seed;
    this.bare = bare;
    this.url = server.url("team/profiles");
  }

  /** @param files path in the repository → content, committed as {@code profiles} and pushed to main */
  public static ServedProfileRepository start(Map<String, String> files) throws IOException {
    GitDaemonServer.assumeAvailable();
    GitDaemonServer server = GitDaemonServer.start();
    try {
      ServedProfileRepository repository = new ServedProfileRepository(server, GitWorkTree.init(),
          server.createBareRepo("team/profiles"));
      for (Map.Entry<String, String> file : files.entrySet()) {
        repository.seed.write(file.getKey(), file.getValue());
      }
      repository.commitToMain("profiles");
      return repository;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Commits what the seed work tree holds now and pushes it to main; the new head. */
  public String commitToMain(String message) throws IOException {
    mainHead = seed.commitAll(message);
    seed.push(url, "main");
    return mainHead;
  }

  public String url() {
    return url;
  }

  public String mainHead() {
    return mainHead;
  }

  public Path bare() {
    return bare;
  }

  public GitWorkTree seed() {
    return seed;
  }

  public GitDaemonServer server() {
    return server;
  }

  /** A git command on the server's bare repository; its output stripped. */
  public String git(String... args) throws IOException {
    return gitRaw(args).strip();
  }

  /** A git command on the server's bare repository; its output as it is. */
  public String gitRaw(String... args) throws IOException {
    String[] all = new String[args.length + 1];
    all[0] = "--git-dir=" + bare;
    System.arraycopy(args, 0, all, 1, args.length);
    return seed.git(all);
  }

  @Override
  public void close() {
    seed.close();
    server.close();
  }
}
