package dev.profileops.syncer.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.profileops.syncer.webhook.PushEvent.Forge;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a push payload into a {@link PushEvent}. Only the fields a push needs are read; the rest of the payload
 * (commits, authors, messages) is ignored and never kept.
 *
 * <ul>
 *   <li>GitHub and Gitea: {@code ref}, {@code after}, and {@code repository.clone_url}, {@code ssh_url},
 *       {@code git_url}, {@code html_url}.
 *   <li>GitLab: {@code ref}, {@code after}, and {@code project.git_http_url}, {@code git_ssh_url},
 *       {@code http_url}, {@code ssh_url}, {@code web_url}, {@code url}, then the older
 *       {@code repository.git_http_url}, {@code git_ssh_url}, {@code url}, {@code homepage}.
 * </ul>
 */
final class PushPayloads {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final List<String> GITHUB_URL_FIELDS = List.of("clone_url", "ssh_url", "git_url", "html_url");
  private static final List<String> GITLAB_PROJECT_URL_FIELDS =
      List.of("git_http_url", "git_ssh_url", "http_url", "ssh_url", "web_url", "url");
  private static final List<String> GITLAB_REPOSITORY_URL_FIELDS = List.of("git_http_url", "git_ssh_url", "url", "homepage");

  private PushPayloads() {
  }

  /** The payload is not JSON, or not a push. The message names what is wrong, never the payload's content. */
  static final class BadPayload extends Exception {
    BadPayload(String message) {
      super(message);
    }
  }

  /**
   * @param body the request body, as signed
   * @param contentType the request's {@code Content-Type}; GitHub and Gitea may send
   *     {@code application/x-www-form-urlencoded} with the JSON in the {@code payload} field
   */
  static PushEvent parse(Forge forge, byte[] body, String contentType) throws BadPayload {
    JsonNode root = read(body, contentType);
    if (!root.isObject()) {
      throw new BadPayload("the payload is not a JSON object");
    }
    String ref = text(root, "ref");
    if (ref.isEmpty()) {
      throw new BadPayload("the push payload has no ref");
    }
    Set<String> urls = new LinkedHashSet<>();
    if (forge == Forge.GITLAB) {
      addUrls(urls, root.path("project"), GITLAB_PROJECT_URL_FIELDS);
      addUrls(urls, root.path("repository"), GITLAB_REPOSITORY_URL_FIELDS);
    } else {
      addUrls(urls, root.path("repository"), GITHUB_URL_FIELDS);
    }
    if (urls.isEmpty()) {
      throw new BadPayload("the push payload names no repository URL");
    }
    return new PushEvent(forge, List.copyOf(urls), ref, text(root, "after"));
  }

  private static JsonNode read(byte[] body, String contentType) throws BadPayload {
    try {
      if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        String payload = formField(new String(body, StandardCharsets.UTF_8), "payload");
        if (payload == null) {
          throw new BadPayload("the form has no payload field");
        }
        return JSON.readTree(payload);
      }
      JsonNode root = JSON.readTree(body);
      if (root == null || root.isMissingNode()) {
        throw new BadPayload("the payload is empty");
      }
      return root;
    } catch (IOException e) {
      throw new BadPayload("the payload is not valid JSON"); // Jackson's message quotes the payload
    } catch (IllegalArgumentException e) {
      throw new BadPayload("the form is not valid url-encoding");
    }
  }

  private static String formField(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void addUrls(Set<String> urls, JsonNode object, List<String> fields) {
    for (String field : fields) {
      String url = text(object, field);
      if (!url.isBlank()) {
        urls.add(url.trim());
      }
    }
  }

  private static String text(JsonNode object, String field) {
    JsonNode value = object.path(field);
    return value.isTextual() ? value.asText() : "";
  }
}
