package dev.profileops.api.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.profileops.api.common.ProfileSpec;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** What a SeccompProfile says; the same fields as the OCI seccomp JSON plus inheritance. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SeccompProfileSpec extends ProfileSpec {
  @Required
  private SeccompAction defaultAction;
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private Long defaultErrnoRet;
  private List<SeccompArch> architectures = new ArrayList<>();
  private List<SeccompFlag> flags = new ArrayList<>();
  private List<SyscallRule> syscalls = new ArrayList<>();
  private String baseProfileName;
  private String listenerPath;
  private String listenerMetadata;

  public SeccompAction getDefaultAction() { return defaultAction; }
  public void setDefaultAction(SeccompAction defaultAction) { this.defaultAction = defaultAction; }
  public Long getDefaultErrnoRet() { return defaultErrnoRet; }
  public void setDefaultErrnoRet(Long defaultErrnoRet) { this.defaultErrnoRet = defaultErrnoRet; }
  public List<SeccompArch> getArchitectures() { return architectures; }
  public void setArchitectures(List<SeccompArch> architectures) { this.architectures = architectures; }
  public List<SeccompFlag> getFlags() { return flags; }
  public void setFlags(List<SeccompFlag> flags) { this.flags = flags; }
  public List<SyscallRule> getSyscalls() { return syscalls; }
  public void setSyscalls(List<SyscallRule> syscalls) { this.syscalls = syscalls; }
  public String getBaseProfileName() { return baseProfileName; }
  public void setBaseProfileName(String baseProfileName) { this.baseProfileName = baseProfileName; }
  public String getListenerPath() { return listenerPath; }
  public void setListenerPath(String listenerPath) { this.listenerPath = listenerPath; }
  public String getListenerMetadata() { return listenerMetadata; }
  public void setListenerMetadata(String listenerMetadata) { this.listenerMetadata = listenerMetadata; }
}
