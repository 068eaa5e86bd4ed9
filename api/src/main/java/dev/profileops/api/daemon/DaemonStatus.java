package dev.profileops.api.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.Condition;
import java.util.ArrayList;
import java.util.List;

/** Whether the daemons run with this configuration. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DaemonStatus {
  /** PENDING, IN-PROGRESS, RUNNING or ERROR, as SPO reports. */
  private String state;
  private List<Condition> conditions = new ArrayList<>();

  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
