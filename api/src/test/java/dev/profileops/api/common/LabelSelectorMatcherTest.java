package dev.profileops.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorMatcherTest {
  private static final Map<String, String> NGINX = Map.of("app", "nginx", "tier", "web");

  @Test
  void matchLabelsMustAllBePresentWithTheirValues() {
    assertThat(LabelSelectorMatcher.matches(selector(Map.of("app", "nginx")), NGINX)).isTrue();
    assertThat(LabelSelectorMatcher.matches(selector(Map.of("app", "nginx", "tier", "db")), NGINX)).isFalse();
    assertThat(LabelSelectorMatcher.matches(selector(Map.of("app", "nginx")), null)).isFalse();
  }

  @Test
  void expressionsFollowTheApiServer() {
    assertThat(matches("tier", "In", "web", "db")).isTrue();
    assertThat(matches("tier", "In", "db")).isFalse();
    assertThat(matches("tier", "NotIn", "db")).isTrue();
    assertThat(matches("missing", "NotIn", "db")).isTrue();
    assertThat(matches("tier", "NotIn", "web")).isFalse();
    assertThat(matches("app", "Exists")).isTrue();
    assertThat(matches("missing", "Exists")).isFalse();
    assertThat(matches("missing", "DoesNotExist")).isTrue();
    assertThat(matches("app", "DoesNotExist")).isFalse();
    assertThat(matches("app", "Bogus", "nginx")).isFalse();
  }

  @Test
  void anEmptySelectorSelectsEverythingAndNoSelectorNothing() {
    assertThat(LabelSelectorMatcher.matches(new LabelSelector(), NGINX)).isTrue();
    assertThat(LabelSelectorMatcher.matches(null, NGINX)).isFalse();
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }

  private static boolean matches(String key, String operator, String... values) {
    LabelSelector selector = new LabelSelectorBuilder()
        .addNewMatchExpression().withKey(key).withOperator(operator).withValues(values).endMatchExpression()
        .build();
    return LabelSelectorMatcher.matches(selector, NGINX);
  }
}
