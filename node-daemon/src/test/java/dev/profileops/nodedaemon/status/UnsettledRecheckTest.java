package dev.profileops.nodedaemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnsettledRecheckTest {
  @Test
  void looksAgainSoonThenBacksOffToAMinute() {
    assertThat(UnsettledRecheck.after(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(UnsettledRecheck.after(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(UnsettledRecheck.after(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(UnsettledRecheck.after(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(UnsettledRecheck.after(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(UnsettledRecheck.after(1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void countsPerProfileAndStartsOverOnceSettled() {
    UnsettledRecheck recheck = new UnsettledRecheck();
    assertThat(recheck.next("a")).isEqualTo(Duration.ofSeconds(2));
    assertThat(recheck.next("a")).isEqualTo(Duration.ofSeconds(4));
    assertThat(recheck.next("b")).isEqualTo(Duration.ofSeconds(2));
    recheck.settled("a");
    assertThat(recheck.next("a")).isEqualTo(Duration.ofSeconds(2));
  }
}
