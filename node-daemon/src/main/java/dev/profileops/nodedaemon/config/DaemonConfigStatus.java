package dev.profileops.nodedaemon.config;

import dev.profileops.api.common.Condition;
import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.DaemonStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import java.util.List;
import java.util.Objects;

/**
 * The {@code spod}'s status as SPO reports it: {@code state} PENDING (no node daemon runs yet),
 * IN-PROGRESS (the DaemonSet rolls out), RUNNING (every scheduled node daemon is updated and ready) or
 * ERROR (the config cannot be applied), with a {@code Ready} condition saying why.
 */
public record DaemonConfigStatus(String state, String message) {
  public static final String PENDING = "PENDING";
  public static final String IN_PROGRESS = "IN-PROGRESS";
  public static final String RUNNING = "RUNNING";
  public static final String ERROR = "ERROR";

  /** From the config and the node daemon's DaemonSet (null when it does not exist). */
  public static DaemonConfigStatus of(DaemonSpec spec, DaemonSet nodeDaemons, String daemonSetName) {
    if (spec != null && spec.getVerbosity() != null && spec.getVerbosity() != 0 && spec.getVerbosity() != 1) {
      return new DaemonConfigStatus(ERROR, "spec.verbosity: " + spec.getVerbosity() + " is not 0 or 1");
    }
    if (nodeDaemons == null) {
      return new DaemonConfigStatus(PENDING, "DaemonSet " + daemonSetName + " does not exist");
    }
    DaemonSetStatus status = nodeDaemons.getStatus();
    int desired = status == null ? 0 : value(status.getDesiredNumberScheduled());
    if (desired == 0) {
      return new DaemonConfigStatus(PENDING, "no node runs the node daemon yet");
    }
    int ready = value(status.getNumberReady());
    int updated = value(status.getUpdatedNumberScheduled());
    boolean observed = status.getObservedGeneration() == null || nodeDaemons.getMetadata().getGeneration() == null
        || status.getObservedGeneration() >= nodeDaemons.getMetadata().getGeneration();
    String counts = ready + " of " + desired + " node daemons ready, " + updated + " updated";
    return new DaemonConfigStatus(observed && ready >= desired && updated >= desired ? RUNNING : IN_PROGRESS, counts);
  }

  private static int value(Integer number) {
    return number == null ? 0 : number;
  }

  /** This as the resource's status; the condition's transition time is kept while its status stays. */
  public DaemonStatus toStatus(DaemonStatus previous, String now) {
    String ready = RUNNING.equals(state) ? "True" : "False";
    Condition before = previous == null ? null : previous.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    String since = before != null && ready.equals(before.getStatus()) && before.getLastTransitionTime() != null
        ? before.getLastTransitionTime() : now;
    DaemonStatus status = new DaemonStatus();
    status.setState(state);
    status.setConditions(List.of(new Condition("Ready", ready, since, state, message)));
    return status;
  }

  /** Whether {@code status} already says this (nothing to write). */
  public boolean isIn(DaemonStatus status) {
    return status != null && Objects.equals(state, status.getState()) && status.getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && Objects.equals(message, c.getMessage()));
  }
}
