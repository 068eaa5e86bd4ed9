package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The HTTP side every forge API call shares (commit statuses, pull requests): JSON requests over
 * {@link HttpClient} with a request timeout, the forge's authentication header, redirects not followed
 * (the token is not sent on to another address), and failures turned into a {@link ForgeException}
 * that carries the code and a short, token-free excerpt of the answer.
 */
public final class ForgeHttp {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_EXCERPT = 300;
  static final String USER_AGENT = "ProfileOps";

  /** Adds a forge's authentication (and any other headers it asks for) to a request. */
  @FunctionalInterface
  public interface Headers {
    void add(HttpRequest.Builder request, String token);
  }

  /** GitHub's REST API version the requests are written against. */
  public static final String GITHUB_API_VERSION = "2022-11-28";

  private final Forge forge;
  private final String token;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Headers headers;

  public ForgeHttp(Forge forge, String token, HttpClient http, Duration requestTimeout, Headers headers) {
    this.forge = Objects.requireNonNull(forge, "forge");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no " + forge + " token given");
    }
    this.token = token.strip();
    this.http = Objects.requireNonNull(http, "http");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  /**
   * How {@code forge} takes a token: GitHub {@code Authorization: Bearer} with its JSON media type and
   * API version; Gitea (and Forgejo) {@code Authorization: token}; GitLab {@code PRIVATE-TOKEN}.
   */
  public static Headers authentication(Forge forge) {
    switch (forge) {
      case GITHUB:
        return (request, token) -> request.header("Authorization", "Bearer " + token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", GITHUB_API_VERSION);
      case GITEA:
        return (request, token) -> request.header("Authorization", "token " + token).header("Accept", "application/json");
      case GITLAB:
        return (request, token) -> request.header("PRIVATE-TOKEN", token).header("Accept", "application/json");
      default:
        throw new IllegalStateException(forge.name());
    }
  }

  /** A client for {@code forge} that authenticates as {@link #authentication} says. */
  public static ForgeHttp forForge(Forge forge, String token, HttpClient http, Duration requestTimeout) {
    return new ForgeHttp(forge, token, http, requestTimeout, authentication(forge));
  }

  /** An HTTP/1.1 client with the default connect timeout that does not follow redirects. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public Forge forge() {
    return forge;
  }

  /**
   * Sends one request and returns the answer whatever its code; {@code body} (JSON) may be null.
   *
   * @param task what the request is for, in messages: "the commit status for owner/repo@abc123"
   * @throws ForgeException when the forge cannot be reached or does not answer in time
   */
  public HttpResponse<String> send(String method, URI uri, byte[] body, String task) throws ForgeException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("User-Agent", USER_AGENT);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    headers.add(request, token);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new ForgeException(forge, forge + " did not answer " + task + " within "
          + requestTimeout.toMillis() + " ms (" + method + " " + uri + ")", e);
    } catch (IOException e) {
      throw new ForgeException(forge, "could not reach " + forge + " for " + task
          + " (" + method + " " + uri + "): " + redact(String.valueOf(e)), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForgeException(forge, "interrupted while sending " + task + " to " + forge, null);
    }
  }

  /**
   * As {@link #send}, then the answer's JSON (a missing node for an empty body).
   *
   * @throws ForgeException also for any non-2xx answer
   */
  public JsonNode exchange(String method, URI uri, JsonNode body, String task) throws ForgeException {
    HttpResponse<String> response = send(method, uri, body == null ? null : bytes(body), task);
    if (response.statusCode() / 100 != 2) {
      throw refused(method, uri, response, task);
    }
    String text = response.body() == null ? "" : response.body().strip();
    if (text.isEmpty()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new ForgeException(forge, response.statusCode(), excerpt(redact(text)),
          forge + " answered " + task + " (" + method + " " + uri + ") with something that is not JSON: " + excerpt(redact(text)));
    }
  }

  /** The exception for a non-2xx answer: code, what it usually means, and the forge's own words. */
  public ForgeException refused(String method, URI uri, HttpResponse<String> response, String task) {
    int code = response.statusCode();
    String excerpt = excerpt(redact(response.body() == null ? "" : response.body()));
    return new ForgeException(forge, code, excerpt, forge + " refused " + task + " (" + method + " " + uri + "): HTTP "
        + code + hint(code, response) + (excerpt.isEmpty() ? "" : ": " + excerpt));
  }

  /** {@code body} as JSON bytes. */
  public static byte[] bytes(JsonNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the request as JSON", e);
    }
  }

  private static String hint(int code, HttpResponse<?> response) {
    switch (code) {
      case 401:
        return " (the token was not accepted)";
      case 403:
        return " (the token may not do this on this repository)";
      case 404:
        return " (no such repository or object, or the token cannot see it)";
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
  public String redact(String text) {
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

  /** RFC 3986 percent-encoding of everything but the unreserved characters, for one path segment or query value. */
  public static String encodeSegment(String value) {
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

  @Override
  public String toString() {
    return "ForgeHttp[" + forge + "]";
  }
}
