package dev.profileops.nodedaemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnsettledRecheckTest {
  @Test
  void looksAgainSoonThenBacksOffToAMinute() {
    assertThat(SeccompProfileReconciler.recheckAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SeccompProfileReconciler.recheckAfter(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(SeccompProfileReconciler.recheckAfter(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(SeccompProfileReconciler.recheckAfter(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(SeccompProfileReconciler.recheckAfter(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(SeccompProfileReconciler.recheckAfter(1000)).isEqualTo(Duration.ofSeconds(60));
  }
}
