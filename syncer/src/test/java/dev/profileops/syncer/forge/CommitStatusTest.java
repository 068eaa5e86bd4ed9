package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommitStatusTest {

  @Test
  void defaultsToTheProfileOpsContextAndNoTargetUrl() {
    CommitStatus status = new CommitStatus(CommitStatus.State.SUCCESS, null, "  ", null);

    assertThat(status.context()).isEqualTo("profileops/sync").isEqualTo(CommitStatus.DEFAULT_CONTEXT);
    assertThat(status.description()).isEmpty();
    assertThat(status.targetUrl()).isEmpty();
    assertThat(CommitStatus.success("ok").withTargetUrl(" ").targetUrl()).isEmpty();
    assertThat(CommitStatus.success("ok").withTargetUrl("https://x.example/1").targetUrl()).contains("https://x.example/1");
    assertThat(CommitStatus.error("x").withContext("profileops/prod").context()).isEqualTo("profileops/prod");
  }

  @Test
  void keepsTheDescriptionOnOneLine() {
    CommitStatus status = CommitStatus.failure("  2 errors:\n  a.yaml:1: bad\r\n\tb.yaml:2: worse  ");

    assertThat(status.description()).isEqualTo("2 errors: a.yaml:1: bad b.yaml:2: worse");
  }

  @Test
  void shortensToTheLimitWithAnEllipsis() {
    assertThat(CommitStatus.shorten("short", 140)).isEqualTo("short");
    assertThat(CommitStatus.shorten("a".repeat(140), 140)).hasSize(140).doesNotContain("...");
    assertThat(CommitStatus.shorten("a".repeat(141), 140)).hasSize(140).endsWith("aaa...");
    assertThat(CommitStatus.shorten("word ".repeat(40), 20)).isEqualTo("word word word wo...");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String text = "a".repeat(136) + emoji + "tail";

    String cut = CommitStatus.shorten(text, 140);

    assertThat(cut).hasSizeLessThanOrEqualTo(140).endsWith("a...");
    assertThat(cut.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 4))).isFalse();
  }

  @Test
  void factoriesSetTheState() {
    assertThat(CommitStatus.pending("p").state()).isEqualTo(CommitStatus.State.PENDING);
    assertThat(CommitStatus.success("s").state()).isEqualTo(CommitStatus.State.SUCCESS);
    assertThat(CommitStatus.failure("f").state()).isEqualTo(CommitStatus.State.FAILURE);
    assertThat(CommitStatus.error("e").state()).isEqualTo(CommitStatus.State.ERROR);
    assertThat(new CommitStatus(CommitStatus.State.ERROR, "e", null, Optional.of("u")).targetUrl()).contains("u");
  }
}
