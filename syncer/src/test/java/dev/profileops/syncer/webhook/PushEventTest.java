package dev.profileops.syncer.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.syncer.webhook.PushEvent.Forge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushEventTest {
  private static final PushEvent GITHUB_PUSH = new PushEvent(Forge.GITHUB, List.of(
      "https://github.com/Acme/Security-Profiles.git",
      "git@github.com:Acme/Security-Profiles.git",
      "git://github.com/Acme/Security-Profiles.git",
      "https://github.com/Acme/Security-Profiles"), "refs/heads/main", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");

  @Test
  void sshAndHttpsFormsNameTheSameRepository() {
    assertThat(PushEvent.sameRepository("git@github.com:acme/profiles.git", "https://github.com/acme/profiles")).isTrue();
    assertThat(PushEvent.sameRepository("ssh://git@github.com/acme/profiles.git", "git@github.com:acme/profiles")).isTrue();
    assertThat(PushEvent.sameRepository("ssh://git@gitlab.example.com:2222/group/sub/profiles.git",
        "https://gitlab.example.com/group/sub/profiles")).isTrue();
    assertThat(PushEvent.sameRepository("git://github.com/acme/profiles.git", "https://github.com/acme/profiles.git")).isTrue();
  }

  @Test
  void httpAndHttpsUserinfoPortAndSuffixesDoNotCount() {
    assertThat(PushEvent.sameRepository("http://git.example.com/acme/profiles", "https://git.example.com/acme/profiles")).isTrue();
    assertThat(PushEvent.sameRepository("https://bot:token@git.example.com:8443/acme/profiles.git/",
        "https://git.example.com/acme/profiles")).isTrue();
    assertThat(PushEvent.sameRepository("https://git.example.com/acme/profiles/", "https://git.example.com/acme/profiles.git")).isTrue();
    assertThat(PushEvent.sameRepository("https://GIT.Example.COM/Acme/Profiles.GIT", "https://git.example.com/acme/profiles")).isTrue();
  }

  @Test
  void otherRepositoriesHostsAndPrefixesDoNotMatch() {
    assertThat(PushEvent.sameRepository("https://github.com/acme/profiles", "https://github.com/acme/profiles-extra")).isFalse();
    assertThat(PushEvent.sameRepository("https://github.com/acme/profiles", "https://gitlab.com/acme/profiles")).isFalse();
    assertThat(PushEvent.sameRepository("https://github.com/acme/profiles", "https://github.com/other/profiles")).isFalse();
    assertThat(PushEvent.sameRepository("https://github.com/acme/group/profiles", "https://github.com/acme/profiles")).isFalse();
    assertThat(PushEvent.sameRepository("", "")).isFalse();
    assertThat(PushEvent.sameRepository(null, "https://github.com/acme/profiles")).isFalse();
  }

  @Test
  void repositoryKeyIsHostAndPathInLowerCase() {
    assertThat(PushEvent.repositoryKey("git@GitHub.com:Acme/Profiles.git")).isEqualTo("github.com/acme/profiles");
    assertThat(PushEvent.repositoryKey("https://github.com/acme/profiles/?tab=readme#top")).isEqualTo("github.com/acme/profiles");
    assertThat(PushEvent.repositoryKey("ssh://git@[2001:db8::1]:22/acme/profiles.git")).isEqualTo("[2001:db8::1]/acme/profiles");
    assertThat(PushEvent.repositoryKey("/srv/git/profiles.git")).isEqualTo("/srv/git/profiles");
    assertThat(PushEvent.repositoryKey("file:///srv/git/profiles.git")).isEqualTo("/srv/git/profiles");
  }

  @Test
  void branchNameMatchesHeadsRefAndTagNameMatchesTagsRef() {
    assertThat(PushEvent.refMatches("refs/heads/main", "main")).isTrue();
    assertThat(PushEvent.refMatches("refs/heads/main", "refs/heads/main")).isTrue();
    assertThat(PushEvent.refMatches("refs/heads/release/1.x", "release/1.x")).isTrue();
    assertThat(PushEvent.refMatches("refs/tags/v1", "v1")).isTrue();
    assertThat(PushEvent.refMatches("refs/tags/v1", "refs/tags/v1")).isTrue();
    assertThat(PushEvent.refMatches("refs/heads/main", null)).as("no ref means main").isTrue();

    assertThat(PushEvent.refMatches("refs/heads/main", "develop")).isFalse();
    assertThat(PushEvent.refMatches("refs/tags/v1", "refs/heads/v1")).isFalse();
    assertThat(PushEvent.refMatches("refs/heads/v1", "refs/tags/v1")).isFalse();
    assertThat(PushEvent.refMatches("refs/heads/main", "mai")).isFalse();
    assertThat(PushEvent.refMatches("refs/heads/main", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")).as("pinned commit").isFalse();
  }

  @Test
  void matchesNeedsTheRepositoryAndTheRef() {
    assertThat(GITHUB_PUSH.matches("ssh://git@github.com/acme/security-profiles.git", "main")).isTrue();
    assertThat(GITHUB_PUSH.matches("https://github.com/acme/security-profiles", "refs/heads/main")).isTrue();
    assertThat(GITHUB_PUSH.matches("https://github.com/acme/security-profiles", "develop")).isFalse();
    assertThat(GITHUB_PUSH.matches("https://github.com/acme/other-profiles", "main")).isFalse();

    PushEvent tag = new PushEvent(Forge.GITLAB, List.of("git@gitlab.example.com:acme/profiles.git"), "refs/tags/v1.2.0",
        "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7");
    assertThat(tag.matches("https://gitlab.example.com/acme/profiles.git", "v1.2.0")).isTrue();
    assertThat(tag.matches("https://gitlab.example.com/acme/profiles.git", "main")).isFalse();
  }

  @Test
  void deletedWhenTheNewCommitIsAllZeros() {
    assertThat(GITHUB_PUSH.deleted()).isFalse();
    assertThat(new PushEvent(Forge.GITEA, List.of("x"), "refs/heads/old", "0".repeat(40)).deleted()).isTrue();
    assertThat(new PushEvent(Forge.GITEA, List.of("x"), "refs/heads/old", null).deleted()).isFalse();
  }

  @Test
  void urlsAreCopied() {
    List<String> urls = new ArrayList<>(List.of("https://github.com/acme/profiles"));
    PushEvent event = new PushEvent(Forge.GITHUB, urls, "refs/heads/main", "abc");
    urls.clear();
    assertThat(event.repositoryUrls()).containsExactly("https://github.com/acme/profiles");
    assertThatThrownBy(() -> event.repositoryUrls().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
