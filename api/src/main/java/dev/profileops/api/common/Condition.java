package dev.profileops.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A status condition, in the shape Kubernetes tools read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  private String type;
  private String status;
  private String lastTransitionTime;
  private String reason;
  private String message;

  public Condition() {}

  public Condition(String type, String status, String lastTransitionTime, String reason, String message) {
    this.type = type;
    this.status = status;
    this.lastTransitionTime = lastTransitionTime;
    this.reason = reason;
    this.message = message;
  }

  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getStatus() { return status; }
  public void setStatus(String status) { this.status = status; }
  public String getLastTransitionTime() { return lastTransitionTime; }
  public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
