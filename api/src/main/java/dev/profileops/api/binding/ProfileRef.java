package dev.profileops.api.binding;

import dev.profileops.api.common.ProfileKind;

/** The profile a binding applies. */
public class ProfileRef {
  private ProfileKind kind;
  private String name;

  public ProfileKind getKind() { return kind; }
  public void setKind(ProfileKind kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
