package dev.profileops.api.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileStatus;
import java.util.ArrayList;
import java.util.List;

/** Where the profile lives on nodes and who uses it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SeccompProfileStatus extends ProfileStatus {
  private String path;
  private String localhostProfile;
  private List<String> activeWorkloads = new ArrayList<>();

  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public String getLocalhostProfile() { return localhostProfile; }
  public void setLocalhostProfile(String localhostProfile) { this.localhostProfile = localhostProfile; }
  public List<String> getActiveWorkloads() { return activeWorkloads; }
  public void setActiveWorkloads(List<String> activeWorkloads) { this.activeWorkloads = activeWorkloads; }
}
