package dev.profileops.api.nodestatus;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileState;

/** The profile's state on that node, and why when it is an error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatusStatus {
  private ProfileState status;
  private String message;

  public ProfileState getStatus() { return status; }
  public void setStatus(ProfileState status) { this.status = status; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
