package dev.profileops.syncer.git;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Asks the remote where a branch or tag points, without fetching: when it has not moved since the last
 * sync, there is nothing to fetch.
 */
public final class RemoteHeadCommand {
  private final String url;
  private final String ref;
  private CredentialsProvider credentials;
  private TransportConfigCallback transportConfig;
  private Duration timeout;

  public RemoteHeadCommand(String url, String ref) {
    this.url = url;
    this.ref = ref;
  }

  public RemoteHeadCommand credentials(CredentialsProvider credentials) {
    this.credentials = credentials;
    return this;
  }

  /** The credentials and transport configuration of {@code transport} (see {@link GitTransport}). */
  public RemoteHeadCommand transport(GitTransport transport) {
    return credentials(transport.credentials()).transportConfig(transport.transportConfig());
  }

  /** Configures the transport before use, e.g. an ssh session factory ({@link SshTransportConfig}); null for none. */
  public RemoteHeadCommand transportConfig(TransportConfigCallback transportConfig) {
    this.transportConfig = transportConfig;
    return this;
  }

  public RemoteHeadCommand timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The commit the ref names on the remote; a commit id is its own answer; empty when the ref is unknown. */
  public Optional<String> call() {
    if (FetchRepositoryCommand.looksLikeCommitId(ref)) {
      return Optional.of(ref);
    }
    LsRemoteCommand ls = GitTransport.configure(Git.lsRemoteRepository().setRemote(url).setHeads(true).setTags(true),
        credentials, transportConfig, timeout);
    try {
      Collection<Ref> refs = ls.call();
      for (String name : new String[] {"refs/heads/" + ref, "refs/tags/" + ref + "^{}", "refs/tags/" + ref, ref}) {
        for (Ref r : refs) {
          if (r.getName().equals(name) || (name.endsWith("^{}") && r.getName().equals(name.substring(0, name.length() - 3))
              && r.getPeeledObjectId() != null)) {
            return Optional.of((r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId()).name());
          }
        }
      }
      return Optional.empty();
    } catch (GitAPIException e) {
      throw new FetchRepositoryCommand.GitFailure("cannot list refs of " + url + ": " + e.getMessage(), e);
    }
  }
}
