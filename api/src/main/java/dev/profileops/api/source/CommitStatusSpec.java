package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where to report each attempted revision's result: the forge, a Secret with key {@code token}, an API URL for self-hosted forges. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommitStatusSpec {
  /** {@code github}, {@code gitea} or {@code gitlab}. */
  private String provider;
  private LocalObjectReference secretRef;
  private String apiURL;

  public String getProvider() { return provider; }
  public void setProvider(String provider) { this.provider = provider; }
  public LocalObjectReference getSecretRef() { return secretRef; }
  public void setSecretRef(LocalObjectReference secretRef) { this.secretRef = secretRef; }
  public String getApiURL() { return apiURL; }
  public void setApiURL(String apiURL) { this.apiURL = apiURL; }
}
