package dev.profileops.api.nodestatus;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which profile on which node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatusSpec {
  private String nodeName;
  private String profileKind;
  private String profileName;

  public String getNodeName() { return nodeName; }
  public void setNodeName(String nodeName) { this.nodeName = nodeName; }
  public String getProfileKind() { return profileKind; }
  public void setProfileKind(String profileKind) { this.profileKind = profileKind; }
  public String getProfileName() { return profileName; }
  public void setProfileName(String profileName) { this.profileName = profileName; }
}
