package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class PublishCredentialsTest {
  static final String TOKEN = "ghp_secretTokenValue123";

  @Test
  void aBearerTokenIsTheGitPasswordAndTheForgeToken() throws Exception {
    Secret secret = new SecretBuilder().withNewMetadata().withName("recorder-git").endMetadata()
        .addToStringData("bearerToken", TOKEN).build();

    PublishCredentials credentials = PublishCredentials.fromSecret(secret, "https://github.com/o/r.git");

    assertThat(credentials.forgeToken()).contains(TOKEN);
    CredentialItem.Password password = new CredentialItem.Password();
    assertThat(credentials.transport().credentials().get(new URIish("https://github.com/o/r.git"), password)).isTrue();
    assertThat(new String(password.getValue())).isEqualTo(TOKEN);
    assertThat(credentials.toString()).doesNotContain(TOKEN).contains("***");
  }

  @Test
  void aForgeTokenOfItsOwnWinsOverTheBearerToken() {
    Secret secret = new SecretBuilder().withNewMetadata().withName("recorder-git").endMetadata()
        .addToStringData("username", "bot").addToStringData("password", "pw").addToStringData("forgeToken", TOKEN).build();

    assertThat(PublishCredentials.fromSecret(secret, "https://gitea.example/o/r.git").forgeToken()).contains(TOKEN);
  }

  @Test
  void aSecretWithoutCredentialsNamesItself() {
    Secret secret = new SecretBuilder().withNewMetadata().withName("recorder-git").endMetadata()
        .addToStringData("username", "bot").build();

    assertThatThrownBy(() -> PublishCredentials.fromSecret(secret, "https://gitea.example/o/r.git"))
        .hasMessageContaining("secret recorder-git has neither bearerToken nor username and password");
  }
}
