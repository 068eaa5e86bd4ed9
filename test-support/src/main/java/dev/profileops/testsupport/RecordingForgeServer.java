package dev.profileops.testsupport;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that records every request and answers from a queue of canned
 * responses (201 "{}" when the queue is empty): a stand-in forge for contract tests.
 */
public final class RecordingForgeServer implements AutoCloseable {

  public record Recorded(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
    /** The first value of header {@code name}, whatever its case; null when absent. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  public record Canned(int code, String body, Map<String, String> headers, Duration delay) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  private final Deque<Canned> answers = new ConcurrentLinkedDeque<>();

  public RecordingForgeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Headers given = exchange.getRequestHeaders();
        given.forEach((k, v) -> headers.put(k, List.copyOf(v)));
        URI uri = exchange.getRequestURI();
        requests.add(new Recorded(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body));
        Canned answer = answers.poll();
        if (answer == null) {
          answer = new Canned(201, "{}", Map.of(), Duration.ZERO);
        }
        if (!answer.delay().isZero()) {
          try {
            Thread.sleep(answer.delay().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(answer.code(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        }
      } catch (IOException e) {
        // the client went away (timeout tests): nothing to answer
      }
    });
    server.start();
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public URI uri(String path) {
    return URI.create(baseUri() + path);
  }

  public RecordingForgeServer answer(int code, String body) {
    answers.add(new Canned(code, body, Map.of(), Duration.ZERO));
    return this;
  }

  public RecordingForgeServer answer(int code, String body, Map<String, String> headers) {
    answers.add(new Canned(code, body, headers, Duration.ZERO));
    return this;
  }

  public RecordingForgeServer answerAfter(Duration delay, int code, String body) {
    answers.add(new Canned(code, body, Map.of(), delay));
    return this;
  }

  /** The next request received, waiting up to 5 s for it. */
  public Recorded takeRequest() throws InterruptedException {
    Recorded r = requests.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the forge received no request");
    }
    return r;
  }

  public int requestCount() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
