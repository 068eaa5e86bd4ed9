package dev.profileops.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Status every profile kind carries. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ProfileStatus {
  private ProfileState status;
  private List<Condition> conditions = new ArrayList<>();

  public ProfileState getStatus() { return status; }
  public void setStatus(ProfileState status) { this.status = status; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
