package dev.profileops.api.binding;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Which containers get a profile: by image (exact, or {@code *}) and optional pod labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProfileBindingSpec {
  @Required
  private ProfileRef profileRef;
  @Required
  private String image;
  private LabelSelector podSelector;

  public ProfileRef getProfileRef() { return profileRef; }
  public void setProfileRef(ProfileRef profileRef) { this.profileRef = profileRef; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public LabelSelector getPodSelector() { return podSelector; }
  public void setPodSelector(LabelSelector podSelector) { this.podSelector = podSelector; }
}
