package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForgeRepositoryTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // forge, clone URL, host, owner path, name, API base
      "GITHUB, https://github.com/octo-org/hello-world.git, github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, https://github.com/octo-org/hello-world, github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, https://github.com/octo-org/hello-world/, github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, https://GitHub.com/Octo-Org/Hello.World.git, github.com, Octo-Org, Hello.World, https://api.github.com",
      "GITHUB, git@github.com:octo-org/hello-world.git, github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, ssh://git@github.com/octo-org/hello-world.git, github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, ssh://git@ssh.github.com:443/octo-org/hello-world.git, ssh.github.com, octo-org, hello-world, https://api.github.com",
      "GITHUB, https://ghe.corp.example/platform/profiles.git, ghe.corp.example, platform, profiles, https://ghe.corp.example/api/v3",
      "GITHUB, git@ghe.corp.example:platform/profiles.git, ghe.corp.example, platform, profiles, https://ghe.corp.example/api/v3",
      "GITEA, https://gitea.example.com/platform/profiles.git, gitea.example.com, platform, profiles, https://gitea.example.com/api/v1",
      "GITEA, ssh://git@gitea.example.com:2222/platform/profiles.git, gitea.example.com, platform, profiles, https://gitea.example.com/api/v1",
      "GITEA, git@gitea.example.com:platform/profiles.git, gitea.example.com, platform, profiles, https://gitea.example.com/api/v1",
      "GITEA, http://gitea.lan:3000/platform/profiles.git, gitea.lan, platform, profiles, http://gitea.lan:3000/api/v1",
      "GITEA, https://gitea.example.com:443/platform/profiles, gitea.example.com, platform, profiles, https://gitea.example.com/api/v1",
      "GITEA, https://gitea.example.com:8443/platform/profiles, gitea.example.com, platform, profiles, https://gitea.example.com:8443/api/v1",
      "GITLAB, https://gitlab.com/platform/profiles.git, gitlab.com, platform, profiles, https://gitlab.com/api/v4",
      "GITLAB, https://gitlab.com/platform/security/k8s/profiles.git, gitlab.com, platform/security/k8s, profiles, https://gitlab.com/api/v4",
      "GITLAB, git@gitlab.example.com:platform/security/profiles.git, gitlab.example.com, platform/security, profiles, https://gitlab.example.com/api/v4",
      "GITLAB, ssh://git@gitlab.example.com:2222/group/sub/profiles.git, gitlab.example.com, group/sub, profiles, https://gitlab.example.com/api/v4",
      "GITLAB, https://gitlab.com/group/sub/profiles/-/tree/main, gitlab.com, group/sub, profiles, https://gitlab.com/api/v4",
  })
  void readsCloneUrls(Forge forge, String url, String host, String owner, String name, String apiBase) {
    ForgeRepository repo = ForgeRepository.parse(forge, url);

    assertThat(repo.forge()).isEqualTo(forge);
    assertThat(repo.host()).isEqualTo(host);
    assertThat(repo.ownerPath()).isEqualTo(owner);
    assertThat(repo.name()).isEqualTo(name);
    assertThat(repo.fullPath()).isEqualTo(owner + "/" + name);
    assertThat(repo.apiBase()).hasToString(apiBase);
  }

  @Test
  void anExplicitApiBaseWins() {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITLAB, "git@gitlab.example.com:group/profiles.git",
        Optional.of(URI.create("http://127.0.0.1:8080/gitlab/api/v4/")));

    assertThat(repo.apiBase()).hasToString("http://127.0.0.1:8080/gitlab/api/v4");
    assertThat(repo.host()).isEqualTo("gitlab.example.com");
    assertThat(repo.withApiBase(URI.create("https://other.example/api/v4")).apiBase()).hasToString("https://other.example/api/v4");
  }

  @Test
  void credentialsInTheCloneUrlAreDroppedAndNeverEchoed() {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "https://x-access-token:ghs_SECRET123@github.com/o/r.git");
    assertThat(repo.toString()).doesNotContain("ghs_SECRET123");
    assertThat(repo.apiBase().toString()).doesNotContain("ghs_SECRET123");

    assertThatThrownBy(() -> ForgeRepository.parse(Forge.GITHUB, "https://x-access-token:ghs_SECRET123@github.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://***@github.com/")
        .hasMessageNotContaining("ghs_SECRET123");
  }

  @Test
  void gitHubAndGiteaHaveNoSubgroups() {
    assertThatThrownBy(() -> ForgeRepository.parse(Forge.GITHUB, "https://github.com/a/b/c.git"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GitHub repositories are OWNER/NAME");
    assertThatThrownBy(() -> ForgeRepository.parse(Forge.GITEA, "git@gitea.example.com:a/b/c.git"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gitea repositories are OWNER/NAME");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "/srv/git/profiles", "./profiles", "file:///srv/git/o/r.git", "https://github.com/",
      "https://github.com/only-owner", "git@github.com:only-owner", "C:\\repos\\o\\r", "https://github.com/o/../r",
      "ftp://example.com/o/r"})
  void refusesWhatIsNoForgeCloneUrl(String url) {
    assertThatThrownBy(() -> ForgeRepository.parse(Forge.GITEA, url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnApiBaseThatIsNoHttpUrl() {
    assertThatThrownBy(() -> ForgeRepository.parse(Forge.GITEA, "https://g.example/o/r", Optional.of(URI.create("ssh://g.example/api"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute http(s) URL");
  }

  @Test
  void providersAreNamedInAnyCase() {
    assertThat(Forge.fromName("GitHub")).isEqualTo(Forge.GITHUB);
    assertThat(Forge.fromName("gitea")).isEqualTo(Forge.GITEA);
    assertThat(Forge.fromName(" GITLAB ")).isEqualTo(Forge.GITLAB);
    assertThatThrownBy(() -> Forge.fromName(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
