package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Commit signature verification: {@code mode: HEAD} and a Secret of trusted OpenPGP and SSH public keys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifySpec {
  private String mode;
  private LocalObjectReference secretRef;

  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public LocalObjectReference getSecretRef() { return secretRef; }
  public void setSecretRef(LocalObjectReference secretRef) { this.secretRef = secretRef; }
}
