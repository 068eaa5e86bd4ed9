package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One profile repository to follow. Field names follow Flux's GitRepository where they mean the same. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProfileSourceSpec {
  @Required
  @Pattern("^(https?|ssh|git|file)://.*$")
  private String url;
  private GitRef ref;
  private String path;
  /** How often to look for new commits, e.g. {@code 1m}, {@code 30s}. */
  private String interval;
  /** Limit for one fetch, e.g. {@code 60s}. */
  private String timeout;
  /** https: keys {@code username}+{@code password} or {@code bearerToken}; ssh: {@code identity}, {@code known_hosts}. */
  private LocalObjectReference secretRef;
  private VerifySpec verify;
  private CommitStatusSpec commitStatus;
  private Boolean prune;
  private Boolean suspend;

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public GitRef getRef() { return ref; }
  public void setRef(GitRef ref) { this.ref = ref; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
  public LocalObjectReference getSecretRef() { return secretRef; }
  public void setSecretRef(LocalObjectReference secretRef) { this.secretRef = secretRef; }
  public VerifySpec getVerify() { return verify; }
  public void setVerify(VerifySpec verify) { this.verify = verify; }
  public CommitStatusSpec getCommitStatus() { return commitStatus; }
  public void setCommitStatus(CommitStatusSpec commitStatus) { this.commitStatus = commitStatus; }
  public Boolean getPrune() { return prune; }
  public void setPrune(Boolean prune) { this.prune = prune; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }

  public boolean pruneEnabled() {
    return prune == null || prune;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
