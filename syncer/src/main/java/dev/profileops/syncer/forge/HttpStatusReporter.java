package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three reporters share: one JSON POST per status over {@link HttpClient} with connect and
 * request timeouts, redirects not followed (the token is not sent on to another address), and every
 * non-2xx answer turned into a {@link ForgeException} that carries the code and a short, token-free
 * excerpt of the body.
 */
public abstract class HttpStatusReporter implements CommitStatusReporter {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int MAX_EXCERPT = 300;
  static final String USER_AGENT = "ProfileOps";
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger LOG = LoggerFactory.getLogger(HttpStatusReporter.class);
  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,64}");

  private final Forge forge;
  private final String token;
  private final Optional<URI> apiBaseOverride;
  private final HttpClient http;
  private final Duration requestTimeout;

  protected HttpStatusReporter(Forge forge, String token, Optional<URI> apiBaseOverride, HttpClient http,
      Duration requestTimeout) {
    this.forge = Objects.requireNonNull(forge, "forge");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no " + forge + " token given");
    }
    this.token = token.strip();
    this.apiBaseOverride = Objects.requireNonNull(apiBaseOverride, "apiBaseOverride");
    this.http = Objects.requireNonNull(http, "http");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** An HTTP/1.1 client with the default connect timeout that does not follow redirects. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public final Forge forge() {
    return forge;
  }

  /** Where the status of {@code sha} is posted, under {@code apiBase} (no trailing slash). */
  protected abstract URI statusUri(String apiBase, ForgeRepository repo, String sha);

  /** The JSON body of the request, as the forge documents it. */
  protected abstract ObjectNode body(CommitStatus status);

  /** Adds the forge's authentication and any other headers it asks for. */
  protected abstract void addHeaders(HttpRequest.Builder request, String token);

  /** Whether a non-2xx answer still means the commit shows the status (GitLab's same-state 400). */
  protected boolean alreadySet(int statusCode, String body) {
    return false;
  }

  /** How many times a {@code statusCode} answer is tried again, and after how long. */
  protected int retries(int statusCode) {
    return 0;
  }

  protected Duration retryDelay() {
    return Duration.ofSeconds(1);
  }

  @Override
  public final void report(ForgeRepository repo, String sha, CommitStatus status) throws ForgeException {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(status, "status");
    if (repo.forge() != forge) {
      throw new IllegalArgumentException("a " + forge + " reporter cannot report to " + repo);
    }
    if (sha == null || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("not a commit id: " + sha);
    }
    String base = apiBaseOverride.orElse(repo.apiBase()).toString().replaceAll("/+$", "");
    URI uri = statusUri(base, repo, sha);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(body(status));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the status as JSON", e);
    }
    String target = repo.fullPath() + "@" + abbreviate(sha);
    for (int attempt = 0; ; attempt++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri)
          .timeout(requestTimeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", USER_AGENT)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      addHeaders(request, token);
      HttpResponse<String> response = send(request.build(), target, uri);
      int code = response.statusCode();
      String answer = response.body() == null ? "" : response.body();
      if (code / 100 == 2) {
        LOG.debug("{}: set {} status '{}' on {}", forge, status.state(), status.context(), target);
        return;
      }
      if (alreadySet(code, answer)) {
        LOG.debug("{}: {} already shows {} for '{}' ({})", forge, target, status.state(), status.context(), code);
        return;
      }
      if (attempt < retries(code)) {
        LOG.info("{} answered {} to the commit status for {}; trying again", forge, code, target);
        sleep(retryDelay(), target);
        continue;
      }
      String excerpt = excerpt(redact(answer));
      throw new ForgeException(forge, code, excerpt, forge + " refused the commit status for " + target + " ("
          + "POST " + uri + "): HTTP " + code + hint(code, response) + (excerpt.isEmpty() ? "" : ": " + excerpt));
    }
  }

  private HttpResponse<String> send(HttpRequest request, String target, URI uri) throws ForgeException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new ForgeException(forge, forge + " did not answer the commit status for " + target + " within "
          + requestTimeout.toMillis() + " ms (POST " + uri + ")", e);
    } catch (IOException e) {
      throw new ForgeException(forge, "could not reach " + forge + " to set the commit status for " + target
          + " (POST " + uri + "): " + redact(String.valueOf(e)), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForgeException(forge, "interrupted while setting the commit status for " + target, null);
    }
  }

  private void sleep(Duration delay, String target) throws ForgeException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForgeException(forge, "interrupted while setting the commit status for " + target, null);
    }
  }

  private static String hint(int code, HttpResponse<?> response) {
    switch (code) {
      case 401:
        return " (the token was not accepted)";
      case 403:
        return " (the token may not write commit statuses to this repository)";
      case 404:
        return " (no such repository or commit, or the token cannot see it)";
      case 301:
      case 302:
      case 307:
      case 308:
        return " (moved to " + response.headers().firstValue("Location").orElse("?")
            + "; set the repository or API base URL to the new address)";
      default:
        return "";
    }
  }

  /** The token, in any text the forge sent back, replaced by "***". */
  private String redact(String text) {
    return text.replace(token, "***");
  }

  /**
   * The forge's error message where the body is JSON ({@code message}, {@code error}, and each of
   * {@code errors}), else the body itself; on one line, at most {@link #MAX_EXCERPT} characters.
   */
  static String excerpt(String body) {
    String text = body.strip();
    if (text.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(text);
        List<String> parts = new ArrayList<>();
        addText(parts, node.get("message"));
        addText(parts, node.get("error"));
        JsonNode errors = node.get("errors");
        if (errors != null && errors.isArray()) {
          for (JsonNode error : errors) {
            addText(parts, error.isObject() && error.has("message") ? error.get("message") : error);
          }
        } else {
          addText(parts, errors);
        }
        if (!parts.isEmpty()) {
          text = String.join("; ", parts);
        }
      } catch (IOException e) {
        // not JSON after all: keep the raw text
      }
    }
    text = text.replaceAll("\\s+", " ").strip();
    return CommitStatus.shorten(text, MAX_EXCERPT);
  }

  private static void addText(List<String> parts, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    if (!text.isBlank()) {
      parts.add(text);
    }
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters, for one path segment. */
  static String encodeSegment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + apiBaseOverride.map(URI::toString).orElse("API base from the repository") + "]";
  }
}
