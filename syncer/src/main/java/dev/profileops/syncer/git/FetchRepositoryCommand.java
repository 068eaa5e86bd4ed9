package dev.profileops.syncer.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Brings a local copy of a profile repository to the head of one branch or tag: clones on first use,
 * fetches after, then checks the commit out (detached). Works for git://, http(s)://, ssh:// and paths.
 * With a depth, fetches only that many commits (shallow), as a syncer needs only the head.
 */
public final class FetchRepositoryCommand {
  private final String url;
  private final String ref;
  private final Path cloneDir;
  private CredentialsProvider credentials;
  private TransportConfigCallback transportConfig;
  private int depth;
  private Duration timeout;

  public FetchRepositoryCommand(String url, String ref, Path cloneDir) {
    this.url = url;
    this.ref = ref;
    this.cloneDir = cloneDir;
  }

  public FetchRepositoryCommand credentials(CredentialsProvider credentials) {
    this.credentials = credentials;
    return this;
  }

  /** The credentials and transport configuration of {@code transport} (see {@link GitTransport}). */
  public FetchRepositoryCommand transport(GitTransport transport) {
    return credentials(transport.credentials()).transportConfig(transport.transportConfig());
  }

  /** Configures each transport before use, e.g. an ssh session factory ({@link SshTransportConfig}); null for none. */
  public FetchRepositoryCommand transportConfig(TransportConfigCallback transportConfig) {
    this.transportConfig = transportConfig;
    return this;
  }

  /** Fetch only this many commits of history; 0 for all. Ignored for a commit id, which needs history. */
  public FetchRepositoryCommand depth(int depth) {
    this.depth = depth;
    return this;
  }

  public FetchRepositoryCommand timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public CheckoutResult call() {
    try {
      if (!Files.isDirectory(cloneDir.resolve(".git"))) {
        Files.createDirectories(cloneDir);
        try (Git ignored = Git.init().setDirectory(cloneDir.toFile()).call()) {
          ignored.getRepository().getConfig().setString("remote", "origin", "url", url);
          ignored.getRepository().getConfig().save();
        }
      }
      try (Git git = Git.open(cloneDir.toFile())) {
        Repository repo = git.getRepository();
        if (!url.equals(repo.getConfig().getString("remote", "origin", "url"))) {
          repo.getConfig().setString("remote", "origin", "url", url);
          repo.getConfig().save();
        }
        ObjectId before = repo.resolve("HEAD");
        var fetch = git.fetch().setRemote("origin").setRemoveDeletedRefs(true)
            .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
        if (depth > 0 && !looksLikeCommitId(ref)) {
          fetch.setDepth(depth);
        }
        configure(fetch).call();
        ObjectId target = resolve(repo);
        git.checkout().setName(target.name()).setForced(true).call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(target.name()).call();
        git.clean().setCleanDirectories(true).setForce(true).call();
        return new CheckoutResult(target.name(), cloneDir, !target.equals(before));
      }
    } catch (GitAPIException e) {
      throw new GitFailure("cannot fetch " + url + " (" + ref + "): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + url + " into " + cloneDir, e);
    }
  }

  private <C extends TransportCommand<C, ?>> C configure(C command) {
    return GitTransport.configure(command, credentials, transportConfig, timeout);
  }

  private ObjectId resolve(Repository repo) throws IOException {
    for (String candidate : new String[] {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref}) {
      Ref r = repo.exactRef(candidate);
      if (r != null) {
        Ref peeled = repo.getRefDatabase().peel(r);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : r.getObjectId();
      }
    }
    ObjectId commit = repo.resolve(ref + "^{commit}");
    if (commit == null) {
      throw new GitFailure("ref " + ref + " not found in " + url, null);
    }
    return commit;
  }

  static boolean looksLikeCommitId(String ref) {
    return ref.matches("[0-9a-f]{40}([0-9a-f]{24})?");
  }

  /** Fetching or checking out failed; the message says which repository and ref. */
  public static final class GitFailure extends RuntimeException {
    public GitFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
