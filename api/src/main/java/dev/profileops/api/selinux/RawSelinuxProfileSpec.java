package dev.profileops.api.selinux;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileSpec;
import io.fabric8.generator.annotation.Size;

/** Raw CIL, wrapped in a block of the profile's name when installed. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RawSelinuxProfileSpec extends ProfileSpec {
  @Size(min = 1, max = 500000)
  private String policy;

  public String getPolicy() { return policy; }
  public void setPolicy(String policy) { this.policy = policy; }
}
