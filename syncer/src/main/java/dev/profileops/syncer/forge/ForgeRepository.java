package dev.profileops.syncer.forge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository on a forge, as its commit-status API addresses it: the host, the owner path (a user or
 * organisation; on GitLab also {@code group/subgroup}), the repository name, and the API base URL.
 *
 * <p>{@link #parse(Forge, String)} reads the clone URLs people paste: {@code https://host/owner/repo(.git)},
 * {@code ssh://git@host[:port]/owner/repo.git} and scp-like {@code git@host:owner/repo.git}. The API
 * base is derived from the host — GitHub: {@code https://api.github.com} for github.com and
 * {@code https://HOST/api/v3} for GitHub Enterprise Server; Gitea: {@code https://HOST/api/v1}; GitLab:
 * {@code https://HOST/api/v4}. An http(s) clone URL keeps its scheme and port (a self-hosted forge on
 * plain http); an ssh one gets https on the default port (its port is the SSH daemon's). A forge served
 * under a sub-path, or an API on another host, needs the explicit API base.
 */
public record ForgeRepository(Forge forge, String host, String ownerPath, String name, URI apiBase) {

  private static final Pattern SCHEME_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/\\s]+@)?([^:/\\s]+):(.+)$");
  private static final Pattern USERINFO = Pattern.compile("(://)[^/@]*@");

  public ForgeRepository {
    Objects.requireNonNull(forge, "forge");
    Objects.requireNonNull(apiBase, "apiBase");
    requireText(host, "host");
    requireText(ownerPath, "owner path");
    requireText(name, "repository name");
    if (forge != Forge.GITLAB && ownerPath.contains("/")) {
      throw new IllegalArgumentException(forge + " repositories are OWNER/NAME, not " + ownerPath + "/" + name);
    }
    if (ownerPath.startsWith("/") || ownerPath.endsWith("/") || ownerPath.contains("//") || name.contains("/")) {
      throw new IllegalArgumentException("not a repository path: " + ownerPath + "/" + name);
    }
    String scheme = apiBase.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http")) || apiBase.getHost() == null) {
      throw new IllegalArgumentException("the API base URL must be an absolute http(s) URL: " + redact(apiBase.toString()));
    }
  }

  /** {@code owner/name}, or {@code group/subgroup/name} on GitLab. */
  public String fullPath() {
    return ownerPath + "/" + name;
  }

  /** The same repository reached through another API base URL. */
  public ForgeRepository withApiBase(URI newApiBase) {
    return new ForgeRepository(forge, host, ownerPath, name, newApiBase);
  }

  public static ForgeRepository parse(Forge forge, String cloneUrl) {
    return parse(forge, cloneUrl, Optional.empty());
  }

  /** Reads {@code cloneUrl}; {@code apiBaseOverride}, when present, replaces the derived API base URL. */
  public static ForgeRepository parse(Forge forge, String cloneUrl, Optional<URI> apiBaseOverride) {
    Objects.requireNonNull(forge, "forge");
    if (cloneUrl == null || cloneUrl.isBlank()) {
      throw new IllegalArgumentException("no clone URL given");
    }
    String url = cloneUrl.strip();
    String scheme;
    String host;
    int port = -1;
    String path;
    if (SCHEME_URL.matcher(url).matches()) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a clone URL: " + redact(url));
      }
      String given = uri.getScheme().toLowerCase(Locale.ROOT);
      switch (given) {
        case "https":
        case "http":
          scheme = given;
          port = uri.getPort();
          break;
        case "ssh":
        case "git+ssh":
        case "ssh+git":
        case "git":
          scheme = "https";
          break;
        default:
          throw new IllegalArgumentException("not a forge clone URL (scheme " + given + "): " + redact(url));
      }
      host = uri.getHost();
      path = uri.getPath();
    } else {
      Matcher scp = SCP_LIKE.matcher(url);
      if (!scp.matches() || url.contains("\\")) {
        throw new IllegalArgumentException("not a forge clone URL: " + redact(url));
      }
      scheme = "https";
      host = scp.group(1);
      path = scp.group(2);
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in clone URL: " + redact(url));
    }
    host = host.toLowerCase(Locale.ROOT);
    List<String> segments = pathSegments(forge, path == null ? "" : path);
    if (segments.size() < 2) {
      throw new IllegalArgumentException("the clone URL names no OWNER/REPOSITORY: " + redact(url));
    }
    String name = segments.get(segments.size() - 1);
    String ownerPath = String.join("/", segments.subList(0, segments.size() - 1));
    URI apiBase = apiBaseOverride.isPresent() ? apiBaseOverride.get() : defaultApiBase(forge, scheme, host, port);
    return new ForgeRepository(forge, host, ownerPath, name, stripTrailingSlash(apiBase));
  }

  /** The API base URL a forge serves on {@code host}; {@code port} -1 for the scheme's default. */
  public static URI defaultApiBase(Forge forge, String scheme, String host, int port) {
    String lowerHost = host.toLowerCase(Locale.ROOT);
    if (forge == Forge.GITHUB && (lowerHost.equals("github.com") || lowerHost.equals("www.github.com")
        || lowerHost.equals("ssh.github.com"))) {
      return URI.create("https://api.github.com");
    }
    String authority = lowerHost + (port < 0 || isDefaultPort(scheme, port) ? "" : ":" + port);
    String path;
    switch (forge) {
      case GITHUB:
        path = "/api/v3";
        break;
      case GITEA:
        path = "/api/v1";
        break;
      case GITLAB:
        path = "/api/v4";
        break;
      default:
        throw new IllegalStateException(forge.name());
    }
    return URI.create(scheme + "://" + authority + path);
  }

  @Override
  public String toString() {
    return forge + " " + host + "/" + fullPath();
  }

  private static List<String> pathSegments(Forge forge, String path) {
    String p = path;
    if (forge == Forge.GITLAB) {
      int web = p.indexOf("/-/");
      if (web >= 0) {
        p = p.substring(0, web);
      }
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".git")) {
      p = p.substring(0, p.length() - 4);
    }
    List<String> segments = new ArrayList<>();
    for (String segment : p.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("not a repository path: " + path);
      }
      segments.add(segment);
    }
    return segments;
  }

  private static boolean isDefaultPort(String scheme, int port) {
    return (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
  }

  private static URI stripTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.replaceAll("/+$", "")) : uri;
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + what + " given");
    }
  }

  /** {@code url} with any user information (a token in {@code https://user:TOKEN@host/...}) hidden. */
  static String redact(String url) {
    return USERINFO.matcher(url).replaceAll("$1***@");
  }
}
