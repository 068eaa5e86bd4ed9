package dev.profileops.nodedaemon.enricher.output;

import java.io.IOException;

/** Where enriched events go: JSON lines, de-duplication, recordings. */
@FunctionalInterface
public interface EnrichedSink {
  void accept(EnrichedEvent event) throws IOException;

  default void flush() throws IOException {}
}
