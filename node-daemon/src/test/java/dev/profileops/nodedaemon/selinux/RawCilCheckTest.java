package dev.profileops.nodedaemon.selinux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.api.selinux.RawCilCheck.Finding;
import org.junit.jupiter.api.Test;

class RawCilCheckTest {
  @Test
  void acceptsStatementsMeantForABlockWithCommentsAndStrings() {
    assertThat(RawCilCheck.check("""
        ; a comment with ) and (
        (blockinherit container)
        (typetransition process var_run_t file "my (file)" var_run_t)
        (allow process self (file (read)))
        """)).isEmpty();
  }

  @Test
  void refusesUnbalancedParenthesesWithTheLine() {
    assertThat(RawCilCheck.check("(allow process self (file (read)))\n(allow process self\n  (file (read))\n"))
        .containsExactly(new Finding(2, "unbalanced parentheses: the statement opened here is never closed"));
    assertThat(RawCilCheck.check("(allow process self (file (read))))"))
        .containsExactly(new Finding(1, "unbalanced parentheses: ')' without a matching '('"));
  }

  @Test
  void refusesPolicyWideStatementsNulAndOversizedText() {
    assertThat(RawCilCheck.check("(allow process self (file (read)))\n(class file (read))\n"))
        .singleElement().satisfies(f -> {
          assertThat(f.line()).isEqualTo(2);
          assertThat(f.message()).startsWith("statement \"class\" is not allowed");
        });
    assertThat(RawCilCheck.check("(allow process self (file (read)))\0")).extracting(Finding::message)
        .containsExactly("policy contains a NUL character");
    assertThat(RawCilCheck.check("x".repeat(RawCilCheck.MAX_LENGTH + 1))).extracting(Finding::message)
        .singleElement().asString().contains("at most 500000");
    assertThat(RawCilCheck.check("(allow process self (file (read)))\uFFFD")).extracting(Finding::message)
        .containsExactly("policy is not valid UTF-8 text");
    assertThat(RawCilCheck.check("")).isNotEmpty();
    assertThat(RawCilCheck.check("allow process self")).extracting(Finding::message)
        .containsExactly("text outside a statement: every statement is a parenthesized list");
  }
}
