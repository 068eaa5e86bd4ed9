package dev.profileops.recorder;

import dev.profileops.api.seccomp.SeccompProfile;
import java.io.IOException;

/**
 * Where a finished recording goes: a file, standard output, or a branch and pull request in the
 * profile repository. The {@code record} command hands its profile to one of these.
 */
@FunctionalInterface
public interface RecordedProfilePublisher {
  /** @return a line for the user saying where the profile went */
  String publish(SeccompProfile profile) throws IOException;
}
