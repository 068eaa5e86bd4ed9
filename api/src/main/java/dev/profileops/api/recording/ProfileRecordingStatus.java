package dev.profileops.api.recording;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** The pods a recording is following now. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ProfileRecordingStatus {
  private List<String> activeWorkloads = new ArrayList<>();

  public List<String> getActiveWorkloads() { return activeWorkloads; }
  public void setActiveWorkloads(List<String> activeWorkloads) { this.activeWorkloads = activeWorkloads; }
}
