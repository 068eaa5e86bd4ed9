package dev.profileops.cli.admission;

/**
 * One pod mutating webhook the server serves: its path, what it applies (named in the fail-open
 * warning) and its mutator.
 */
public record PodWebhook(String path, String what, PodMutator mutator) {}
