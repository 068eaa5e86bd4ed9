package dev.profileops.syncer.git;

import java.nio.file.Path;

/** The commit a fetch landed on and the work tree that holds it. */
public record CheckoutResult(String commit, Path workTree, boolean changed) {}
