package dev.profileops.syncer.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes object names: DNS-1123 subdomains. They also become file names on nodes. */
public final class ObjectNames {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_LENGTH = 253;

  private ObjectNames() {}

  /** Why the name is not usable, or empty when it is. */
  public static Optional<String> problemWith(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("name is required");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("name is longer than " + MAX_LENGTH + " characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
      return Optional.of("\"" + name + "\" is not a DNS-1123 subdomain (lower case letters, digits, '-' and '.',"
          + " starting and ending with a letter or digit; no '/' or '..')");
    }
    return Optional.empty();
  }
}
