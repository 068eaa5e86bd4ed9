package dev.profileops.cli.profiling;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spod's {@code enableProfiling} for one component: a JFR recording (the JDK's "profile" settings:
 * CPU samples, allocations, locks, GC) that runs while the flag is on, and whose last
 * {@value #MAX_AGE_MINUTES} minutes can be dumped at any time ({@code GET /debug/jfr} on the health
 * port; open it in JDK Mission Control or {@code jfr print}). Off by default, as in SPO. The initial
 * environment and system properties are not recorded: they may hold credentials.
 */
public final class JfrProfiling implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JfrProfiling.class);
  static final int MAX_AGE_MINUTES = 10;
  private static final long MAX_SIZE = 64L * 1024 * 1024;

  private final String component;
  private Recording recording;

  public JfrProfiling(String component) {
    this.component = component;
  }

  /** Starts or stops the recording; true when that changed anything. */
  public synchronized boolean enable(boolean on) {
    if (on == (recording != null)) {
      return false;
    }
    if (on) {
      try {
        Recording started = new Recording(Configuration.getConfiguration("profile"));
        started.setName("profileops-" + component);
        started.setToDisk(true);
        started.setMaxAge(Duration.ofMinutes(MAX_AGE_MINUTES));
        started.setMaxSize(MAX_SIZE);
        started.disable("jdk.InitialEnvironmentVariable");
        started.disable("jdk.InitialSystemProperty");
        started.start();
        recording = started;
        LOG.info("Profiling on: JFR recording {} (GET /debug/jfr on the health port)", started.getName());
      } catch (IOException | ParseException e) {
        throw new IllegalStateException("JFR profiling could not start: " + e.getMessage(), e);
      }
    } else {
      recording.close();
      recording = null;
      LOG.info("Profiling off: JFR recording stopped");
    }
    return true;
  }

  public synchronized boolean enabled() {
    return recording != null;
  }

  /**
   * Writes what the running recording holds so far (a JFR file) to {@code out}; empty when profiling
   * is off, with the reason.
   */
  public Optional<String> dump(OutputStream out) throws IOException {
    Path file;
    synchronized (this) {
      if (recording == null) {
        return Optional.of("profiling is off: set spec.enableProfiling: true in the SecurityProfilesOperatorDaemon spod");
      }
      file = Files.createTempFile("profileops-" + component, ".jfr");
      recording.dump(file);
    }
    try {
      Files.copy(file, out);
    } finally {
      Files.deleteIfExists(file);
    }
    return Optional.empty();
  }

  /** For the {@code enableProfiling} flag: null is off. */
  public void apply(Boolean enableProfiling) {
    enable(Boolean.TRUE.equals(enableProfiling));
  }

  @Override
  public synchronized void close() {
    enable(false);
  }
}
