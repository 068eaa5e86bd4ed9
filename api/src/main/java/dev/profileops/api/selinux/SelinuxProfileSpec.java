package dev.profileops.api.selinux;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The small SELinux policy language SPO translates to CIL. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SelinuxProfileSpec extends ProfileSpec {
  private List<PolicyRef> inherit = new ArrayList<>();
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private SelinuxMode mode;
  /** type (or {@code @self}) -> object class -> permissions. */
  private Map<String, Map<String, List<String>>> allow = new LinkedHashMap<>();

  public List<PolicyRef> getInherit() { return inherit; }
  public void setInherit(List<PolicyRef> inherit) { this.inherit = inherit; }
  public SelinuxMode getMode() { return mode; }
  public void setMode(SelinuxMode mode) { this.mode = mode; }
  public Map<String, Map<String, List<String>>> getAllow() { return allow; }
  public void setAllow(Map<String, Map<String, List<String>>> allow) { this.allow = allow; }
}
