package dev.profileops.syncer.schedule;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-resource sync schedules as a JOSDK event source. Quartz holds one trigger per resource that
 * fires every interval; each fire becomes an ordinary JOSDK event, so a scheduled sync is a normal
 * reconcile and JOSDK never runs two reconciles of one resource at once.
 *
 * <ul>
 *   <li><b>Jitter</b>: the first fire comes one interval plus a random 0–10% of it after
 *       {@link #schedule}, then the trigger keeps that phase, so resources scheduled together (all of
 *       them when the controller starts) do not fetch together.
 *   <li><b>Phase kept</b>: {@link #schedule} with an unchanged interval keeps the running trigger; only
 *       a new interval replaces it.
 *   <li><b>No pile-up when a sync overruns</b>: the reconciler calls {@link #schedule} when a sync ends.
 *       A fire that comes while the sync started by the previous fire has not ended is dropped, so an
 *       overrunning sync is followed by the next slot in phase rather than by a queued sync right
 *       after it. A sync that never reports back (its reconcile kept throwing) is fired again after
 *       {@value #MAX_DROPPED_FIRES} dropped fires.
 *   <li><b>No burst after a pause</b>: the job is {@link DisallowConcurrentExecution}, and a fire more
 *       than {@link #MISFIRE_THRESHOLD} late (JVM or machine paused, scheduler starved) is a misfire:
 *       the trigger moves on to its next slot after now instead of firing every slot it missed.
 * </ul>
 *
 * Quartz runs in memory (RAMJobStore), on two daemon threads, in a scheduler of its own per
 * instance; it is created by {@link #start()} and shut down by {@link #stop()}, with JOSDK's event
 * source lifecycle. Schedules made while stopped are kept and take effect at the next start.
 */
public final class QuartzSyncSchedule<P extends HasMetadata> extends AbstractEventSource<Void, P>
    implements ResourceEventAware<P> {
  public static final String NAME = "quartz-sync-schedule";
  /** Up to this share of the interval is added, at random, before the first fire. */
  public static final double JITTER = 0.1;
  /** Fires dropped in a row while a sync is running before one goes out anyway. */
  public static final int MAX_DROPPED_FIRES = 2;
  /** A fire later than this is a misfire and skipped (Quartz's default is one minute). */
  public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(QuartzSyncSchedule.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final String GROUP = "sync";
  private static final String RESOURCE = "resource";

  private final String schedulerName = "profileops-schedule-" + INSTANCES.incrementAndGet();
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private Scheduler scheduler; // guarded by lock; null while stopped

  /** One resource's schedule: its interval, and whether the sync started by the last fire has ended. */
  private static final class Entry {
    final Duration interval;
    private boolean awaitingSync;
    private int dropped;

    Entry(Duration interval) {
      this.interval = interval;
    }

    synchronized boolean claimFire() {
      if (awaitingSync && dropped < MAX_DROPPED_FIRES) {
        dropped++;
        return false;
      }
      awaitingSync = true;
      dropped = 0;
      return true;
    }

    synchronized void synced() {
      awaitingSync = false;
      dropped = 0;
    }
  }

  public QuartzSyncSchedule() {
    super(Void.class, NAME);
  }

  /**
   * Syncs {@code resource} every {@code interval} from now on; call it when a sync of the resource has
   * ended. The same interval as before keeps the running trigger (and its phase); a new one replaces it.
   */
  public void schedule(ResourceID resource, Duration interval) {
    if (interval.toMillis() <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    synchronized (lock) {
      Entry current = entries.get(resource);
      if (current != null && current.interval.equals(interval)) {
        current.synced();
        return;
      }
      Entry entry = new Entry(interval);
      entries.put(resource, entry);
      if (scheduler != null) {
        addTrigger(scheduler, resource, entry);
      }
    }
  }

  /** No more scheduled syncs of {@code resource} (suspended or deleted). */
  public void unschedule(ResourceID resource) {
    synchronized (lock) {
      if (entries.remove(resource) != null && scheduler != null) {
        try {
          scheduler.deleteJob(jobKey(resource));
        } catch (SchedulerException e) {
          throw new OperatorException("cannot unschedule " + resource, e);
        }
      }
    }
  }

  /** When {@code resource} is next due, if it is scheduled and the schedule is running. */
  public Optional<Instant> nextFire(ResourceID resource) {
    synchronized (lock) {
      if (scheduler == null || !entries.containsKey(resource)) {
        return Optional.empty();
      }
      try {
        Trigger trigger = scheduler.getTrigger(triggerKey(resource));
        return Optional.ofNullable(trigger == null ? null : trigger.getNextFireTime()).map(Date::toInstant);
      } catch (SchedulerException e) {
        throw new OperatorException("cannot read the schedule of " + resource, e);
      }
    }
  }

  /** The interval {@code resource} is scheduled at, if it is scheduled. */
  public Optional<Duration> interval(ResourceID resource) {
    return Optional.ofNullable(entries.get(resource)).map(e -> e.interval);
  }

  /** The Quartz scheduler's name, unique per instance (its threads are named after it). */
  public String schedulerName() {
    return schedulerName;
  }

  @Override
  public void onResourceDeleted(P resource) {
    unschedule(ResourceID.fromResource(resource));
  }

  @Override
  public void start() throws OperatorException {
    synchronized (lock) {
      if (isRunning()) {
        return;
      }
      try {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, schedulerName);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "false");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD.toMillis()));
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        s.setJobFactory((bundle, sched) -> new FireJob(this));
        for (Map.Entry<ResourceID, Entry> e : entries.entrySet()) {
          addTrigger(s, e.getKey(), e.getValue());
        }
        super.start();
        s.start();
        scheduler = s;
      } catch (SchedulerException e) {
        throw new OperatorException("cannot start the sync schedule", e);
      }
    }
  }

  @Override
  public void stop() throws OperatorException {
    synchronized (lock) {
      if (scheduler == null) {
        return;
      }
      super.stop();
      try {
        scheduler.shutdown(false); // a running fire only hands an event over; nothing to wait for
      } catch (SchedulerException e) {
        throw new OperatorException("cannot stop the sync schedule", e);
      } finally {
        scheduler = null;
      }
    }
  }

  @Override
  public Status getStatus() {
    return isRunning() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Set.of();
  }

  private void fire(ResourceID resource) {
    Entry entry = entries.get(resource);
    if (entry == null || !isRunning()) {
      return;
    }
    if (!entry.claimFire()) {
      log.debug("{}: a sync is still running, this fire is dropped", resource);
      return;
    }
    log.debug("{}: scheduled sync", resource);
    getEventHandler().handleEvent(new Event(resource));
  }

  private static void addTrigger(Scheduler scheduler, ResourceID resource, Entry entry) {
    long interval = entry.interval.toMillis();
    long jitter = (long) (interval * JITTER * ThreadLocalRandom.current().nextDouble());
    JobDataMap data = new JobDataMap();
    data.put(RESOURCE, resource);
    JobDetail job = JobBuilder.newJob(FireJob.class).withIdentity(jobKey(resource)).usingJobData(data).build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey(resource)).forJob(job)
        .startAt(new Date(System.currentTimeMillis() + interval + jitter))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    try {
      scheduler.scheduleJob(job, Set.of(trigger), true);
    } catch (SchedulerException e) {
      throw new OperatorException("cannot schedule " + resource, e);
    }
  }

  private static String key(ResourceID resource) {
    return resource.getNamespace().map(ns -> ns + "/").orElse("") + resource.getName();
  }

  private static JobKey jobKey(ResourceID resource) {
    return JobKey.jobKey(key(resource), GROUP);
  }

  private static TriggerKey triggerKey(ResourceID resource) {
    return TriggerKey.triggerKey(key(resource), GROUP);
  }

  /** One fire of one resource's trigger; never two of one resource at once. */
  @DisallowConcurrentExecution
  static final class FireJob implements Job {
    private final QuartzSyncSchedule<?> schedule;

    FireJob(QuartzSyncSchedule<?> schedule) {
      this.schedule = schedule;
    }

    @Override
    public void execute(JobExecutionContext context) {
      schedule.fire((ResourceID) context.getMergedJobDataMap().get(RESOURCE));
    }
  }
}
