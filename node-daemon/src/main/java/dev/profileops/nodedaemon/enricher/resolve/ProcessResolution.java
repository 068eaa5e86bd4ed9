package dev.profileops.nodedaemon.enricher.resolve;

/**
 * Who a pid was: {@code exited} when it was gone before it could be looked up; otherwise its
 * container id (null for a host process) and pod container (null without a cluster, or not known yet).
 */
public record ProcessResolution(boolean exited, String containerId, PodContainer pod) {
  static final ProcessResolution EXITED = new ProcessResolution(true, null, null);

  /** A container whose pod the node's pods do not show (yet). */
  public boolean awaitsPod() {
    return containerId != null && pod == null;
  }
}
