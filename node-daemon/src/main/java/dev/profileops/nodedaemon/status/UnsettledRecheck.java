package dev.profileops.nodedaemon.status;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How soon a reconciler looks at a profile again when this node's view of it is not settled: its own
 * state is Error (retry), or the profile's aggregate differs from its own state (another node may
 * still move, or wrote its aggregate from an older list than ours). Nodes do not watch each other's
 * statuses (that would be every node's status of every profile on every node); this is what makes the
 * profile's status converge. The first look comes after {@link #FIRST}, each further one waits twice as
 * long, up to {@link #MAX}: quick while the other nodes install, cheap when one of them stays in Error.
 */
public final class UnsettledRecheck {
  public static final Duration FIRST = Duration.ofSeconds(2);
  public static final Duration MAX = Duration.ofSeconds(60);

  private final Map<String, Integer> rounds = new ConcurrentHashMap<>();

  /** The delay before the next look at an unsettled profile, counting this round. */
  public Duration next(String name) {
    return after(rounds.merge(name, 1, Integer::sum));
  }

  /** The profile settled (or went away): the next unsettled round starts from {@link #FIRST} again. */
  public void settled(String name) {
    rounds.remove(name);
  }

  /** 2 s, 4 s, 8 s ... up to a minute. */
  static Duration after(int round) {
    long seconds = FIRST.toSeconds() << Math.min(Math.max(round - 1, 0), 5);
    return Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
  }
}
