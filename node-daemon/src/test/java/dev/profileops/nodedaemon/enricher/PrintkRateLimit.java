package dev.profileops.nodedaemon.enricher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Without auditd the kernel prints audit records through the printk rate limit (a burst of 10 per 5 s,
 * machine-wide), so tests that need every line lift it ({@code kernel.printk_ratelimit=0}) and put
 * the old value back when closed.
 */
public final class PrintkRateLimit implements AutoCloseable {
  static final Path INTERVAL = Path.of("/proc/sys/kernel/printk_ratelimit");

  private final String before;

  private PrintkRateLimit(String before) {
    this.before = before;
  }

  /** Why it cannot be lifted here, if it cannot. */
  public static Optional<String> unavailableReason() {
    return Files.isWritable(INTERVAL) ? Optional.empty() : Optional.of(INTERVAL + " is not writable (needs root)");
  }

  public static PrintkRateLimit lift() throws IOException {
    String before = Files.readString(INTERVAL).strip();
    Files.writeString(INTERVAL, "0\n");
    return new PrintkRateLimit(before);
  }

  @Override
  public void close() throws IOException {
    Files.writeString(INTERVAL, before + "\n");
  }
}
