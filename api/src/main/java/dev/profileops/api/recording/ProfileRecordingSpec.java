package dev.profileops.api.recording;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileKind;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** What to record, how, and what to do with the result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProfileRecordingSpec {
  @Required
  private ProfileKind kind;
  @Required
  private RecorderType recorder;
  @Required
  private LabelSelector podSelector;
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<String> containers = new ArrayList<>();
  private MergeStrategy mergeStrategy;
  private Boolean disableProfileAfterRecording;

  public ProfileKind getKind() { return kind; }
  public void setKind(ProfileKind kind) { this.kind = kind; }
  public RecorderType getRecorder() { return recorder; }
  public void setRecorder(RecorderType recorder) { this.recorder = recorder; }
  public LabelSelector getPodSelector() { return podSelector; }
  public void setPodSelector(LabelSelector podSelector) { this.podSelector = podSelector; }
  public List<String> getContainers() { return containers; }
  public void setContainers(List<String> containers) { this.containers = containers; }
  public MergeStrategy getMergeStrategy() { return mergeStrategy; }
  public void setMergeStrategy(MergeStrategy mergeStrategy) { this.mergeStrategy = mergeStrategy; }
  public Boolean getDisableProfileAfterRecording() { return disableProfileAfterRecording; }
  public void setDisableProfileAfterRecording(Boolean v) { this.disableProfileAfterRecording = v; }
}
