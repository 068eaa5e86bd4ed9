package dev.profileops.recorder.publish;

import java.time.Duration;

/**
 * Where a publish spent its time, for metrics and the benchmark.
 *
 * @param fetch bringing the clone to the default branch's head
 * @param read finding the profiles' files and writing the new contents
 * @param push committing and pushing
 * @param pullRequest the forge API calls; zero when there were none
 */
public record PublishTimings(Duration fetch, Duration read, Duration push, Duration pullRequest) {

  public Duration total() {
    return fetch.plus(read).plus(push).plus(pullRequest);
  }
}
