package dev.profileops.syncer.webhook;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A receiver in a JVM of its own, for tests of JVM-wide settings: prints its port, runs until killed. */
final class ReceiverMain {
  private ReceiverMain() {
  }

  public static void main(String[] args) throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0),
        "secret".getBytes(StandardCharsets.UTF_8), event -> 0);
    receiver.start();
    System.out.println(receiver.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
