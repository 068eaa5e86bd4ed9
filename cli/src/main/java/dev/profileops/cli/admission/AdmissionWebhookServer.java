package dev.profileops.cli.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The controller's one HTTPS server for its pod mutating webhooks ({@link ProfileBindingWebhook} at
 * {@code /mutate-v1-pod}, {@link ProfileRecordingWebhook} at {@code /mutate-v1-pod-recording}, as in
 * SPO): each path takes a {@code POST} of an AdmissionReview and answers with {@link PodAdmission}.
 */
public final class AdmissionWebhookServer implements AutoCloseable {
  /** An AdmissionReview of a pod is a few kB; this bounds what one request may make us read. */
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final HttpsServer server;

  private AdmissionWebhookServer(HttpsServer server) {
    this.server = server;
  }

  public static AdmissionWebhookServer start(InetSocketAddress address, SSLContext tls, List<PodWebhook> webhooks) throws IOException {
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    for (PodWebhook webhook : webhooks) {
      server.createContext(webhook.path(), exchange -> handle(exchange, webhook));
    }
    server.start();
    return new AdmissionWebhookServer(server);
  }

  /** With PEM files that cert-manager (or {@link SelfManagedWebhookCertificate}) renews: read again when they change. */
  public static AdmissionWebhookServer start(InetSocketAddress address, Path certificate, Path key, List<PodWebhook> webhooks)
      throws IOException, GeneralSecurityException {
    return start(address, ReloadingPemKeyManager.context(certificate, key), webhooks);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange exchange, PodWebhook webhook) throws IOException {
    try (exchange) {
      // A context matches every path under its own; only the path itself is a webhook.
      if (!exchange.getRequestURI().getPath().equals(webhook.path())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      AdmissionReview request;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          exchange.sendResponseHeaders(413, -1);
          return;
        }
        request = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
      } catch (RuntimeException e) {
        byte[] text = ("not an AdmissionReview: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(400, text.length);
        exchange.getResponseBody().write(text);
        return;
      }
      byte[] body = Serialization.asJson(PodAdmission.review(request, webhook.what(), webhook.mutator())).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
