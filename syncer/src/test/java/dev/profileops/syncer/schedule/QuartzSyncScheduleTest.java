package dev.profileops.syncer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Quartz event source against a fake JOSDK event handler; intervals of a few hundred milliseconds. */
class QuartzSyncScheduleTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final ResourceID A = new ResourceID("a", "team-a");

  private final QuartzSyncSchedule<ConfigMap> schedule = new QuartzSyncSchedule<>();
  private final List<Instant> fires = new CopyOnWriteArrayList<>();
  private volatile Consumer<Event> onEvent = e -> {};

  @BeforeEach
  void setUp() {
    schedule.setEventHandler(new EventHandler() {
      @Override
      public void handleEvent(Event event) {
        fires.add(Instant.now());
        onEvent.accept(event);
      }
    });
    schedule.start();
  }

  @AfterEach
  void tearDown() {
    schedule.stop();
  }

  /** What the reconciler does when a sync ends. */
  private void syncedEachTime(Duration interval) {
    onEvent = e -> schedule.schedule(e.getRelatedCustomResourceID(), interval);
  }

  @Test
  void firesEveryIntervalAfterAJitteredFirstInterval() {
    syncedEachTime(SHORT);
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // Quartz counts in milliseconds
    schedule.schedule(A, SHORT);
    Instant after = Instant.now();
    Instant first = schedule.nextFire(A).orElseThrow();
    assertThat(first).isBetween(before.plus(SHORT), after.plus(SHORT).plusMillis(30));

    await().atMost(Duration.ofSeconds(5)).until(() -> fires.size() >= 5);
    assertThat(fires.get(0)).isAfterOrEqualTo(first.minusMillis(5));
    Duration fourIntervals = Duration.between(fires.get(0), fires.get(4));
    // Never sooner than the interval allows (jitter moves a fire by at most half an interval); later is
    // the machine's load, not asserted.
    assertThat(fourIntervals).isGreaterThanOrEqualTo(Duration.ofMillis(4 * 300 - 450));
    assertThat(schedule.getStatus()).isEqualTo(Status.HEALTHY);
  }

  @Test
  void resourcesScheduledTogetherAreSpreadOverTenPercentOfTheInterval() {
    Duration interval = Duration.ofSeconds(100);
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // Quartz counts in milliseconds
    Set<Instant> firsts = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ResourceID id = new ResourceID("s" + i, "team-a");
      schedule.schedule(id, interval);
      firsts.add(schedule.nextFire(id).orElseThrow());
    }
    Instant after = Instant.now();
    assertThat(firsts).allSatisfy(t -> assertThat(t).isBetween(before.plus(interval), after.plus(interval).plusSeconds(10)));
    assertThat(firsts).hasSizeGreaterThan(15); // random offsets, millisecond resolution
    assertThat(fires).isEmpty();
  }

  @Test
  void theSameIntervalKeepsThePhaseAndANewIntervalReplacesTheTrigger() {
    schedule.schedule(A, Duration.ofHours(1));
    Instant phase = schedule.nextFire(A).orElseThrow();
    for (int i = 0; i < 5; i++) {
      schedule.schedule(A, Duration.ofHours(1));
      assertThat(schedule.nextFire(A)).contains(phase);
    }

    syncedEachTime(SHORT);
    schedule.schedule(A, SHORT);
    assertThat(schedule.interval(A)).contains(SHORT);
    assertThat(schedule.nextFire(A).orElseThrow()).isBefore(Instant.now().plusSeconds(1));
    await().atMost(Duration.ofSeconds(3)).until(() -> fires.size() >= 2);
  }

  @Test
  void unscheduleStopsTheFires() throws InterruptedException {
    syncedEachTime(SHORT);
    schedule.schedule(A, SHORT);
    await().atMost(Duration.ofSeconds(3)).until(() -> fires.size() >= 1);
    schedule.unschedule(A);
    int count = fires.size();
    Thread.sleep(600);
    assertThat(fires).hasSize(count);
    assertThat(schedule.nextFire(A)).isEmpty();
    assertThat(schedule.interval(A)).isEmpty();
  }

  @Test
  void aDeletedResourceIsUnscheduled() {
    schedule.schedule(A, Duration.ofHours(1));
    ConfigMap deleted = new ConfigMapBuilder().withNewMetadata().withNamespace("team-a").withName("a").endMetadata().build();
    schedule.onResourceDeleted(deleted);
    assertThat(schedule.nextFire(A)).isEmpty();
  }

  @Test
  void stopShutsQuartzDownAndStartResumesTheSchedules() throws InterruptedException {
    syncedEachTime(SHORT);
    schedule.schedule(A, SHORT);
    await().atMost(Duration.ofSeconds(3)).until(() -> fires.size() >= 1);
    assertThat(quartzThreads()).isNotEmpty();

    schedule.stop();
    assertThat(schedule.isRunning()).isFalse();
    assertThat(schedule.getStatus()).isEqualTo(Status.UNHEALTHY);
    await().atMost(Duration.ofSeconds(5)).until(() -> quartzThreads().isEmpty());
    int count = fires.size();
    Thread.sleep(500);
    assertThat(fires).hasSize(count);
    assertThat(schedule.nextFire(A)).isEmpty();

    schedule.start();
    assertThat(schedule.nextFire(A)).isPresent();
    await().atMost(Duration.ofSeconds(3)).until(() -> fires.size() > count);
  }

  @Test
  void severalInstancesRunSideBySide() {
    QuartzSyncSchedule<ConfigMap> other = new QuartzSyncSchedule<>();
    AtomicInteger otherFires = new AtomicInteger();
    other.setEventHandler(e -> {
      otherFires.incrementAndGet();
      other.schedule(e.getRelatedCustomResourceID(), SHORT);
    });
    other.start();
    try {
      assertThat(other.schedulerName()).isNotEqualTo(schedule.schedulerName());
      syncedEachTime(SHORT);
      schedule.schedule(A, SHORT);
      other.schedule(A, SHORT);
      await().atMost(Duration.ofSeconds(3)).until(() -> fires.size() >= 2 && otherFires.get() >= 2);
    } finally {
      other.stop();
    }
  }

  /**
   * A fire that blocks longer than the interval (Quartz itself late: a paused JVM or starved scheduler)
   * never overlaps the next, and the slots it missed are skipped rather than fired in a burst.
   */
  @Test
  void aFireThatBlocksPastManyIntervalsNeitherOverlapsNorBursts() {
    Duration interval = Duration.ofMillis(200);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicBoolean blocked = new AtomicBoolean();
    List<Instant> ends = new CopyOnWriteArrayList<>();
    onEvent = e -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (blocked.compareAndSet(false, true)) {
          sleep(1500); // seven intervals, and past the misfire threshold
        }
      } finally {
        running.decrementAndGet();
        ends.add(Instant.now());
        schedule.schedule(e.getRelatedCustomResourceID(), interval);
      }
    };
    schedule.schedule(A, interval);
    await().atMost(Duration.ofSeconds(5)).until(() -> !ends.isEmpty());
    Instant unblocked = ends.get(0);
    sleep(800);

    assertThat(maxRunning.get()).isEqualTo(1);
    long soonAfter = fires.stream().filter(t -> t.isAfter(unblocked) && t.isBefore(unblocked.plusMillis(150))).count();
    assertThat(soonAfter).as("fires within 150 ms after the block: %s", fires).isLessThanOrEqualTo(1);
    // 800 ms after the block: about four fires in phase, not the seven slots missed on top
    long afterBlock = fires.stream().filter(t -> t.isAfter(unblocked)).count();
    assertThat(afterBlock).isBetween(1L, 6L);
  }

  /**
   * A sync longer than the interval, run the way JOSDK runs reconciles (off the Quartz thread, one
   * at a time per resource): fires during it are dropped, so no sync is queued behind it and each
   * next sync starts on a slot of the schedule.
   */
  @Test
  void aSyncLongerThanTheIntervalIsNotFollowedByQueuedSyncs() throws InterruptedException {
    Duration interval = Duration.ofMillis(250);
    ExecutorService reconciler = Executors.newSingleThreadExecutor();
    AtomicBoolean syncing = new AtomicBoolean();
    AtomicInteger eventsDuringSync = new AtomicInteger();
    List<Instant> syncStarts = new CopyOnWriteArrayList<>();
    try {
      onEvent = e -> {
        if (syncing.get()) {
          eventsDuringSync.incrementAndGet();
        }
        reconciler.submit(() -> {
          syncing.set(true);
          syncStarts.add(Instant.now());
          sleep(275); // a slot and a bit
          syncing.set(false);
          schedule.schedule(e.getRelatedCustomResourceID(), interval);
        });
      };
      schedule.schedule(A, interval);
      await().atMost(Duration.ofSeconds(5)).until(() -> syncStarts.size() >= 4);
    } finally {
      reconciler.shutdownNow();
      reconciler.awaitTermination(2, TimeUnit.SECONDS);
    }
    // No fire while a sync runs, so none queues up behind it to run back to back. (How far apart the
    // syncs start depends on the machine's load: not asserted, see the brief on timed tests.)
    assertThat(eventsDuringSync.get()).as("events while a sync ran: %s", syncStarts).isZero();
  }

  /** A reconcile that keeps failing never reports back: the schedule fires it again all the same. */
  @Test
  void aSyncThatNeverReportsBackIsFiredAgainAfterTwoDroppedFires() {
    Duration interval = Duration.ofMillis(150);
    schedule.schedule(A, interval);
    await().atMost(Duration.ofSeconds(5)).until(() -> fires.size() >= 3);
    // every third slot: six slots (900 ms) from the first to the third fire; every slot would be 300 ms
    // (a lower bound only: a loaded machine makes fires late, never early)
    assertThat(Duration.between(fires.get(0), fires.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(550));
  }

  private List<String> quartzThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(schedule.schedulerName() + "_")) {
        names.add(t.getName());
      }
    }
    return names;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
