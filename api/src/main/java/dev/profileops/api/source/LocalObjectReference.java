package dev.profileops.api.source;

/** A Secret in the source's namespace. */
public class LocalObjectReference {
  private String name;

  public LocalObjectReference() {}

  public LocalObjectReference(String name) {
    this.name = name;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
