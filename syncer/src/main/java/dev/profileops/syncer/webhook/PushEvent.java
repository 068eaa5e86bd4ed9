package dev.profileops.syncer.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One authenticated push, as a forge reported it.
 *
 * @param forge who sent it
 * @param repositoryUrls every URL the payload names for the repository (https, ssh, git://, web page), in
 *     payload order, without duplicates
 * @param ref the full ref that moved, e.g. {@code refs/heads/main} or {@code refs/tags/v1}
 * @param after the commit the ref points at now; all zeros when the push deleted the ref; empty when the
 *     payload did not say
 */
public record PushEvent(Forge forge, List<String> repositoryUrls, String ref, String after) {

  public enum Forge { GITHUB, GITEA, GITLAB }

  public PushEvent {
    Objects.requireNonNull(forge, "forge");
    Objects.requireNonNull(ref, "ref");
    repositoryUrls = List.copyOf(repositoryUrls);
    after = after == null ? "" : after;
  }

  /**
   * Whether a source that follows {@code sourceUrl} at {@code sourceRef} should sync because of this push:
   * one of the payload's URLs names the same repository ({@link #sameRepository}) and the pushed ref is the
   * source's branch or tag ({@link #refMatches}).
   */
  public boolean matches(String sourceUrl, String sourceRef) {
    return refMatches(ref, sourceRef) && repositoryUrls.stream().anyMatch(url -> sameRepository(url, sourceUrl));
  }

  /** The push removed the ref: {@code after} is the all-zero commit id. */
  public boolean deleted() {
    return !after.isEmpty() && after.chars().allMatch(c -> c == '0');
  }

  /**
   * Whether two clone URLs name the same repository. Scheme, user, password and port do not count (so
   * {@code http}, {@code https}, {@code ssh://git@host:2222/...}, {@code git@host:...} and {@code git://} are
   * one repository); a trailing {@code /} or {@code .git} does not count; case does not count, in the host nor
   * in the path (forges treat {@code Owner/Repo} and {@code owner/repo} as one; where a plain git server would
   * not, a false match costs one extra fetch).
   */
  public static boolean sameRepository(String url, String otherUrl) {
    if (url == null || otherUrl == null) {
      return false;
    }
    String key = repositoryKey(url);
    return !key.isEmpty() && key.equals(repositoryKey(otherUrl));
  }

  /**
   * A clone URL reduced to {@code host/path} in lower case, without scheme, user, port, query, trailing
   * {@code /} and {@code .git}: {@code git@GitHub.com:Acme/Profiles.git} and
   * {@code https://github.com/acme/profiles/} both give {@code github.com/acme/profiles}. A local path keeps
   * only its path.
   */
  public static String repositoryKey(String url) {
    String s = url.trim();
    String host;
    String path;
    int scheme = s.indexOf("://");
    int colon = s.indexOf(':');
    int slash = s.indexOf('/');
    if (scheme > 0) {
      String rest = s.substring(scheme + 3);
      int end = firstOf(rest, '?', '#');
      rest = end < 0 ? rest : rest.substring(0, end);
      int pathStart = rest.indexOf('/');
      String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
      path = pathStart < 0 ? "" : rest.substring(pathStart);
      host = withoutPort(authority.substring(authority.lastIndexOf('@') + 1));
    } else if (colon > 1 && (slash < 0 || colon < slash)) {
      // scp-like ssh: [user@]host:path (as git reads it: a colon before the first slash)
      String authority = s.substring(0, colon);
      host = authority.substring(authority.lastIndexOf('@') + 1);
      path = s.substring(colon + 1);
    } else {
      host = "";
      path = s;
    }
    path = path.replaceAll("/{2,}", "/");
    path = stripSlashes(path);
    if (path.toLowerCase(Locale.ROOT).endsWith(".git")) {
      path = stripSlashes(path.substring(0, path.length() - 4));
    }
    if (host.isEmpty() && path.isEmpty()) {
      return "";
    }
    return (host + "/" + path).toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the pushed ref (always full, {@code refs/heads/main}) is what a source follows. The source may name
   * it in full, as a branch ({@code main}) or as a tag ({@code v1} matches {@code refs/tags/v1}), the way git
   * resolves a short name. A commit id never matches: a source pinned to a commit has nothing to follow. A
   * missing source ref means {@code main}, as in {@code GitRef.effective()}.
   */
  public static boolean refMatches(String pushedRef, String sourceRef) {
    if (pushedRef == null) {
      return false;
    }
    String wanted = sourceRef == null || sourceRef.isBlank() ? "main" : sourceRef.trim();
    return pushedRef.equals(wanted)
        || pushedRef.equals("refs/" + wanted)
        || pushedRef.equals("refs/heads/" + wanted)
        || pushedRef.equals("refs/tags/" + wanted);
  }

  private static String withoutPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close < 0 ? hostPort : hostPort.substring(0, close + 1);
    }
    int colon = hostPort.indexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  private static String stripSlashes(String path) {
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') {
      from++;
    }
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    return path.substring(from, to);
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
