package dev.profileops.api.selinux;

/** One {@code inherit[]} entry: a system policy block or another SelinuxProfile. */
public class PolicyRef {
  /** {@code System} or {@code SelinuxProfile}. */
  private String kind;
  private String name;

  public PolicyRef() {}

  public PolicyRef(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
