package dev.profileops.syncer.source;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each file parsed to last time, by its exact bytes: a sync after a small commit re-parses only the
 * files that changed. Results are immutable, so reusing them gives the same result as a full parse.
 */
public final class ParseCache {
  private record Entry(byte[] content, ProfileFileReader.FileResult result) {}

  private final Map<String, Entry> byFile = new ConcurrentHashMap<>();
  private volatile int hits;
  private volatile int misses;

  ProfileFileReader.FileResult get(String file, byte[] content) {
    Entry e = byFile.get(file);
    if (e != null && Arrays.equals(e.content(), content)) {
      hits++;
      return e.result();
    }
    misses++;
    return null;
  }

  void put(String file, byte[] content, ProfileFileReader.FileResult result) {
    byFile.put(file, new Entry(content, result));
  }

  /** Forgets files that are gone, so the cache holds no more than the repository. */
  void retainOnly(java.util.Set<String> files) {
    byFile.keySet().retainAll(files);
  }

  /** Files re-parsed in the loads so far (for tests and benchmarks). */
  public int misses() {
    return misses;
  }

  public int hits() {
    return hits;
  }
}
