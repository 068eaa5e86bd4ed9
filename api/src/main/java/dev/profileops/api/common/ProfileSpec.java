package dev.profileops.api.common;

/** Spec fields every profile kind has. */
public abstract class ProfileSpec {
  private ProfileActivation state;

  public ProfileActivation getState() { return state; }
  public void setState(ProfileActivation state) { this.state = state; }

  /** Enabled unless said otherwise. */
  public boolean enabled() {
    return state != ProfileActivation.Disabled;
  }
}
