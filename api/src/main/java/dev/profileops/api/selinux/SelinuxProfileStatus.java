package dev.profileops.api.selinux;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileStatus;

/** Adds the string pods put in {@code seLinuxOptions.type}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SelinuxProfileStatus extends ProfileStatus {
  private String usage;

  public String getUsage() { return usage; }
  public void setUsage(String usage) { this.usage = usage; }
}
