package dev.profileops.api.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sets status conditions the Kubernetes way: one per type, transition time kept while the status holds. */
public final class Conditions {
  private Conditions() {}

  public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason, String message,
      Instant now) {
    String value = status ? "True" : "False";
    Optional<Condition> previous = find(existing, type);
    String since = previous.filter(p -> value.equals(p.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : existing) {
      if (type.equals(c.getType())) {
        result.add(new Condition(type, value, since, reason, message));
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(new Condition(type, value, since, reason, message));
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
