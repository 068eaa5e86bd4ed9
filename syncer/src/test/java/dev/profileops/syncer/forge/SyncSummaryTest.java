package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.validate.Problem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncSummaryTest {

  @Test
  void successSaysHowManyObjectsWereApplied() {
    assertThat(SyncSummary.applied(12).toCommitStatus()).isEqualTo(CommitStatus.success("applied 12 objects"));
    assertThat(SyncSummary.applied(1).toCommitStatus().description()).isEqualTo("applied 1 object");
    assertThat(SyncSummary.applied(0).toCommitStatus().description()).isEqualTo("applied 0 objects");
    assertThat(SyncSummary.applied(3).succeeded()).isTrue();
  }

  @Test
  void failureCountsTheErrorsAndShowsTheFirstThree() {
    List<Problem> problems = List.of(
        Problem.error("profiles/web.yaml", 12, "spec.syscalls[0].names[1]", "unknown syscall 'opn'"),
        Problem.warning("profiles/web.yaml", 3, "metadata.name", "will be lower-cased"),
        Problem.error("profiles/db.yaml", 4, "spec.defaultAction", "missing"),
        Problem.error("profiles/cache.json", 0, "", "not valid JSON"),
        Problem.error("profiles/late.yaml", 9, "kind", "unknown kind"));

    SyncSummary outcome = SyncSummary.invalid(problems);
    CommitStatus status = outcome.toCommitStatus();

    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.errors()).hasSize(4);
    assertThat(status.state()).isEqualTo(CommitStatus.State.FAILURE);
    assertThat(status.description()).isEqualTo("4 errors: profiles/web.yaml:12: unknown syscall 'opn'; "
        + "profiles/db.yaml:4: missing; profiles/cache.json: not valid JSON");
    assertThat(status.description(Forge.GITHUB.maxDescriptionLength())).hasSizeLessThanOrEqualTo(140).startsWith("4 errors: ");
  }

  @Test
  void oneErrorIsSingular() {
    CommitStatus status = SyncSummary.invalid(List.of(Problem.error("a.yaml", 1, "f", "bad"))).toCommitStatus();

    assertThat(status.description()).isEqualTo("1 error: a.yaml:1: bad");
  }

  @Test
  void aLoadResultWithErrorsFailsAndOneWithoutSucceeds() {
    LoadResult bad = new LoadResult(List.of(), List.of(Problem.error("x.yaml", 2, "spec", "broken")), Set.of());
    LoadResult warned = new LoadResult(List.of(), List.of(Problem.warning("x.yaml", 2, "spec", "odd")), Set.of());

    assertThat(SyncSummary.of(bad, 5).toCommitStatus()).isEqualTo(CommitStatus.failure("1 error: x.yaml:2: broken"));
    assertThat(SyncSummary.of(warned, 5).toCommitStatus()).isEqualTo(CommitStatus.success("applied 5 objects"));
  }

  @Test
  void aBrokenAttemptIsAnError() {
    CommitStatus status = SyncSummary.failed("fetch https://g.example/o/r.git: connection refused").toCommitStatus();

    assertThat(status.state()).isEqualTo(CommitStatus.State.ERROR);
    assertThat(status.description()).isEqualTo("sync failed: fetch https://g.example/o/r.git: connection refused");
    assertThat(SyncSummary.failed(" ").toCommitStatus().description()).isEqualTo("sync failed: unknown error");
  }

  @Test
  void invalidNeedsAnError() {
    assertThatThrownBy(() -> SyncSummary.invalid(List.of(Problem.warning("a", 1, "f", "w"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
