package dev.profileops.api.apparmor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.profileops.api.common.ProfileSpec;

/** Either the structured {@code abstract} policy or, as older files do, a raw {@code policy} text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppArmorProfileSpec extends ProfileSpec {
  private AppArmorMode mode;
  @JsonProperty("abstract")
  private AppArmorAbstract abstractPolicy;
  private String policy;

  public AppArmorMode getMode() { return mode; }
  public void setMode(AppArmorMode mode) { this.mode = mode; }
  @JsonProperty("abstract")
  public AppArmorAbstract getAbstractPolicy() { return abstractPolicy; }
  @JsonProperty("abstract")
  public void setAbstractPolicy(AppArmorAbstract abstractPolicy) { this.abstractPolicy = abstractPolicy; }
  public String getPolicy() { return policy; }
  public void setPolicy(String policy) { this.policy = policy; }
}
