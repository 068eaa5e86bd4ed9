package dev.profileops.cli.record;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.RecordedProfilePublisher;
import dev.profileops.recorder.publish.PublishRequest;
import dev.profileops.recorder.publish.PublishResult;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.syncer.forge.ForgeException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * {@code record --repo URL --push}: proposes the recorded profile on the branch
 * {@code profileops/recording/<recording>-<container>} of the repository, and opens or updates its pull
 * request where a forge is given. The default branch is never written.
 */
public final class PullRequestProfilePublisher implements RecordedProfilePublisher {
  private final RecordingPublisher publisher;
  private final Function<SeccompProfile, PublishRequest.Builder> request;
  private final Instant started;

  /**
   * @param request the request for a profile, with everything but the profile and the window set
   */
  public PullRequestProfilePublisher(RecordingPublisher publisher, Function<SeccompProfile, PublishRequest.Builder> request,
      Instant started) {
    this.publisher = publisher;
    this.request = request;
    this.started = started;
  }

  @Override
  public String publish(SeccompProfile profile) throws IOException {
    try {
      PublishResult result = publisher.publish(request.apply(profile)
          .profiles(List.of(profile))
          .window(started, Instant.now())
          .build());
      if (result.upToDate()) {
        return "the repository already holds profile " + profile.getMetadata().getName() + " as recorded; nothing pushed";
      }
      return "profile " + profile.getMetadata().getName() + " pushed to " + result.pushedRef().orElse(result.branch())
          + result.pullRequest().map(pr -> ", pull request " + pr).orElse("");
    } catch (ForgeException e) {
      throw new IOException("the forge refused the pull request: " + e.getMessage(), e);
    }
  }
}
