package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status in the kstatus shape Argo CD and Flux read: observedGeneration and Ready/Reconciling/Stalled. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ProfileSourceStatus {
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private String lastAppliedRevision;
  private String lastAttemptedRevision;
  /** The value of the {@code profileops.dev/requestedAt} annotation last acted on. */
  private String lastHandledReconcileAt;
  private List<InventoryEntry> inventory = new ArrayList<>();
  private List<FileError> errors = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getLastAppliedRevision() { return lastAppliedRevision; }
  public void setLastAppliedRevision(String v) { this.lastAppliedRevision = v; }
  public String getLastAttemptedRevision() { return lastAttemptedRevision; }
  public void setLastAttemptedRevision(String v) { this.lastAttemptedRevision = v; }
  public String getLastHandledReconcileAt() { return lastHandledReconcileAt; }
  public void setLastHandledReconcileAt(String v) { this.lastHandledReconcileAt = v; }
  public List<InventoryEntry> getInventory() { return inventory; }
  public void setInventory(List<InventoryEntry> inventory) { this.inventory = inventory; }
  public List<FileError> getErrors() { return errors; }
  public void setErrors(List<FileError> errors) { this.errors = errors; }
}
