package org.apitmoodle.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The integration's own gauges and Moodle call timings, on the registry Camel serves at /observe/metrics:
 * backlog and open dead-letter entries per entity type (from {@link SyncStatistics}), the latency of each Moodle
 * function, and the seconds since each poll route last finished without an error.
 */
public final class OperationsMetrics {

    public static final String BACKLOG = "apit.sync.backlog";
    public static final String DEAD_LETTER_OPEN = "apit.dead.letter.open";
    public static final String MOODLE_CALL = "apit.moodle.call";
    public static final String LAST_POLL_AGE = "apit.sync.last.poll.age";

    private final MeterRegistry meters;
    private final Clock clock;
    /** Epoch milliseconds of each poll route's last successful poll. */
    private final Map<String, Long> lastPoll = new ConcurrentHashMap<>();

    public OperationsMetrics(MeterRegistry meters, SyncStatistics statistics, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        for (String type : SyncStatistics.ENTITY_TYPES) {
            Gauge.builder(BACKLOG, statistics, s -> s.backlog(type))
                    .description("Records waiting to be synced (not yet in Moodle, not dead-lettered)")
                    .tag("entity", type).register(meters);
            Gauge.builder(DEAD_LETTER_OPEN, statistics, s -> s.openDeadLetters(type))
                    .description("Open entries in the dead-letter queue").tag("entity", type).register(meters);
        }
    }

    public void moodleCall(String function, long nanos) {
        Timer.builder(MOODLE_CALL).description("Time one Moodle web-service call took, by function")
                .tag("function", function).register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the poll route's gauge; it reads NaN until the route's first successful poll. */
    public void pollRoute(String routeId) {
        Gauge.builder(LAST_POLL_AGE, lastPoll, polls -> secondsSince(polls.get(routeId)))
                .description("Seconds since the poll route last finished without an error").baseUnit("seconds")
                .tag("route", routeId).register(meters);
    }

    public void pollSucceeded(String routeId) {
        lastPoll.put(routeId, clock.millis());
    }

    /** Seconds since the poll route last finished without an error, or null before its first. */
    public Double lastPollAgeSeconds(String routeId) {
        Long millis = lastPoll.get(routeId);
        return millis == null ? null : secondsSince(millis);
    }

    /** When the poll route last finished without an error, or null before its first. */
    public java.time.Instant lastPoll(String routeId) {
        Long millis = lastPoll.get(routeId);
        return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
    }

    private double secondsSince(Long millis) {
        return millis == null ? Double.NaN : (clock.millis() - millis) / 1000.0;
    }
}
