package dev.profileops.nodedaemon.enricher.output;

import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import dev.profileops.nodedaemon.enricher.resolve.PodContainer;

/**
 * An audit event with who caused it: the node, the container id (null for a host process or one that
 * exited before it was looked up), its pod container (null when unknown), and for seccomp and SELinux
 * events with a syscall its libseccomp architecture and name.
 */
public record EnrichedEvent(AuditEvent event, String node, String containerId, PodContainer pod, String arch, String syscall) {}
