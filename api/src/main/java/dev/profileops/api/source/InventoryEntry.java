package dev.profileops.api.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** One object a source owns in the cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InventoryEntry {
  private String kind;
  private String namespace;
  private String name;

  public InventoryEntry() {}

  public InventoryEntry(String kind, String namespace, String name) {
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
  }

  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }

  @Override
  public boolean equals(Object o) {
    return o instanceof InventoryEntry e && Objects.equals(kind, e.kind) && Objects.equals(namespace, e.namespace)
        && Objects.equals(name, e.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, namespace, name);
  }
}
