package dev.profileops.syncer.git;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * How to reach one remote: https credentials, an ssh identity with the host keys to trust, or
 * neither. Hand {@link #credentials()} and {@link #transportConfig()} to {@link
 * FetchRepositoryCommand} and {@link RemoteHeadCommand} (either may be null), turn their failures
 * into status messages with {@link #explain}, and close it after the sync (it deletes the ssh files).
 */
public final class GitTransport implements AutoCloseable {
  private static final GitTransport NONE = new GitTransport(null, null, null);

  private final CredentialsProvider credentials;
  private final SshTransportConfig ssh;
  private final String origin;

  private GitTransport(CredentialsProvider credentials, SshTransportConfig ssh, String origin) {
    this.credentials = credentials;
    this.ssh = ssh;
    this.origin = origin;
  }

  /** Anonymous access. */
  public static GitTransport none() {
    return NONE;
  }

  /**
   * @param origin where the credentials came from, for messages (e.g. {@code secret team-a/git-auth})
   */
  public static GitTransport https(CredentialsProvider credentials, String origin) {
    return new GitTransport(credentials, null, origin);
  }

  /** An ssh identity and known hosts (see {@link SshTransportConfig#create}). */
  public static GitTransport ssh(SshTransportConfig ssh, String origin) {
    return new GitTransport(null, ssh, origin);
  }

  /** For http(s); null when there are none. */
  public CredentialsProvider credentials() {
    return credentials;
  }

  /** Sets the ssh session factory on ssh transports; null when there is no ssh identity. */
  public TransportConfigCallback transportConfig() {
    return ssh;
  }

  /**
   * Sets this transport's credentials and ssh session factory, and {@code timeout} (null for JGit's
   * default), on any JGit command that talks to a remote (fetch, push, ls-remote).
   */
  public <C extends TransportCommand<C, ?>> C configure(C command, Duration timeout) {
    return configure(command, credentials, ssh, timeout);
  }

  /** Sets whichever of credentials, transport callback and timeout is not null on {@code command}. */
  static <C extends TransportCommand<C, ?>> C configure(C command, CredentialsProvider credentials,
      TransportConfigCallback transportConfig, Duration timeout) {
    if (credentials != null) {
      command.setCredentialsProvider(credentials);
    }
    if (transportConfig != null) {
      command.setTransportConfigCallback(transportConfig);
    }
    if (timeout != null) {
      command.setTimeout((int) Math.max(1, timeout.toSeconds()));
    }
    return command;
  }

  /**
   * The failure's message, plus what it means when the server refused the credentials or the ssh
   * host key was not trusted (JGit's own words for these are terse: "not authorized", "Server key
   * did not validate", "No more authentication methods available").
   */
  public String explain(RuntimeException failure) {
    String message = withNetworkCause(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
    if (ssh != null && ssh.hostKeyRejection() != null) {
      return message + ": " + ssh.hostKeyRejection();
    }
    String lower = allMessages(failure).toLowerCase(Locale.ROOT);
    if (lower.contains("not authorized") || lower.contains("authentication is required")
        || lower.contains("no more authentication methods") || lower.contains("auth fail")
        || lower.contains("authentication failed") || lower.contains("401 unauthorized")
        || lower.contains("403 forbidden")) {
      if (credentials == null && ssh == null) {
        return message + ": authentication failed: the server asks for credentials and the source names no secretRef";
      }
      String whose = origin == null ? "" : " of " + origin;
      String what = ssh != null ? "the identity" + whose + " was not accepted" : "the credentials" + whose + " were rejected";
      return message + ": authentication failed: " + what;
    }
    return message;
  }

  /** Deletes the ssh files, if any. */
  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }

  /** JGit says "connection failed" for an http server that is down; the socket says why. */
  private static String withNetworkCause(String message, Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
      root = root.getCause();
    }
    if (root == failure || root.getMessage() == null || message.contains(root.getMessage())) {
      return message;
    }
    if (root instanceof UnknownHostException) {
      return message + " (unknown host " + root.getMessage() + ")";
    }
    if (root instanceof SocketException || root instanceof SocketTimeoutException) {
      return message + " (" + root.getMessage() + ")";
    }
    return message;
  }

  private static String allMessages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 4000; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null) {
        sb.append(c.getMessage()).append('\n');
      }
    }
    return sb.toString();
  }
}
