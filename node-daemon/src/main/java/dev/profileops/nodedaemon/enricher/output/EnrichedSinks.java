package dev.profileops.nodedaemon.enricher.output;

import java.io.IOException;
import java.util.List;

/** Sinks put together. */
public final class EnrichedSinks {
  private EnrichedSinks() {}

  /** Every event to each sink, in order. */
  public static EnrichedSink all(EnrichedSink... sinks) {
    List<EnrichedSink> each = List.of(sinks);
    return new EnrichedSink() {
      @Override
      public void accept(EnrichedEvent event) throws IOException {
        for (EnrichedSink sink : each) {
          sink.accept(event);
        }
      }

      @Override
      public void flush() throws IOException {
        for (EnrichedSink sink : each) {
          sink.flush();
        }
      }
    };
  }
}
