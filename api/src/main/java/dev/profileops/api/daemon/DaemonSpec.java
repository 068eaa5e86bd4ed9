package dev.profileops.api.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;

/** Feature gates and limits for the node daemons. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaemonSpec {
  private Integer verbosity;
  private Boolean enableProfiling;
  private Boolean enableAppArmor;
  private Selinux selinux;
  private Enricher enricher;
  private Security security;
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<Toleration> tolerations = new ArrayList<>();
  private Affinity affinity;
  private String priorityClassName;

  public Integer getVerbosity() { return verbosity; }
  public void setVerbosity(Integer verbosity) { this.verbosity = verbosity; }
  public Boolean getEnableProfiling() { return enableProfiling; }
  public void setEnableProfiling(Boolean enableProfiling) { this.enableProfiling = enableProfiling; }
  public Boolean getEnableAppArmor() { return enableAppArmor; }
  public void setEnableAppArmor(Boolean enableAppArmor) { this.enableAppArmor = enableAppArmor; }
  public Selinux getSelinux() { return selinux; }
  public void setSelinux(Selinux selinux) { this.selinux = selinux; }
  public Enricher getEnricher() { return enricher; }
  public void setEnricher(Enricher enricher) { this.enricher = enricher; }
  public Security getSecurity() { return security; }
  public void setSecurity(Security security) { this.security = security; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity affinity) { this.affinity = affinity; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Selinux {
    private Boolean enable;

    public Boolean getEnable() { return enable; }
    public void setEnable(Boolean enable) { this.enable = enable; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Enricher {
    private Boolean enableLogEnricher;
    private Boolean enableBpfRecorder;
    private String logEnricherSource;

    public Boolean getEnableLogEnricher() { return enableLogEnricher; }
    public void setEnableLogEnricher(Boolean v) { this.enableLogEnricher = v; }
    public Boolean getEnableBpfRecorder() { return enableBpfRecorder; }
    public void setEnableBpfRecorder(Boolean v) { this.enableBpfRecorder = v; }
    public String getLogEnricherSource() { return logEnricherSource; }
    public void setLogEnricherSource(String v) { this.logEnricherSource = v; }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Security {
    private List<String> allowedSyscalls = new ArrayList<>();
    private List<String> allowedSeccompActions = new ArrayList<>();

    public List<String> getAllowedSyscalls() { return allowedSyscalls; }
    public void setAllowedSyscalls(List<String> v) { this.allowedSyscalls = v; }
    public List<String> getAllowedSeccompActions() { return allowedSeccompActions; }
    public void setAllowedSeccompActions(List<String> v) { this.allowedSeccompActions = v; }
  }
}
