package dev.profileops.nodedaemon.enricher.resolve;

/** The pod container a runtime container id belongs to. */
public record PodContainer(String namespace, String pod, String container) {}
