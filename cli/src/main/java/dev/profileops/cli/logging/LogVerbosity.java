package dev.profileops.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spod's {@code verbosity} as log levels, switched at run time: 0 (SPO's default) logs our
 * packages at INFO, 1 at DEBUG. Libraries keep the root level, so a debug run is ours, not fabric8's.
 */
public final class LogVerbosity {
  /** The loggers the verbosity switches. */
  public static final String LOGGER = "dev.profileops";

  /** What {@link #apply} did: the level now in force and whether it changed. */
  public record Change(Level level, boolean changed) {}

  private LogVerbosity() {}

  /** 0 or null: INFO; 1: DEBUG; anything else is refused (SPO's CRD allows 0 and 1 only). */
  public static Level level(Integer verbosity) {
    if (verbosity == null || verbosity == 0) {
      return Level.INFO;
    }
    if (verbosity == 1) {
      return Level.DEBUG;
    }
    throw new IllegalArgumentException("spec.verbosity: " + verbosity + " is not 0 or 1");
  }

  public static synchronized Change apply(Integer verbosity) {
    Level level = level(verbosity);
    Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
    Level before = logger.getEffectiveLevel();
    logger.setLevel(level);
    boolean changed = !level.equals(before);
    if (changed) {
      logger.info("Log verbosity {}: {} at {}", verbosity == null ? 0 : verbosity, LOGGER, level);
    }
    return new Change(level, changed);
  }
}
