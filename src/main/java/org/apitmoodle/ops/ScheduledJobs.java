package org.apitmoodle.ops;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.function.Supplier;
import org.quartz.CronExpression;

/**
 * The routes that run on a schedule, and when each runs next, for the status page: records that wait for their
 * schedule (the grade poll's delegates between two polls) read as waiting for it, not as stuck. A Quartz cron's next
 * run is worked out from the expression, the same way Quartz does (not read from Quartz's tables, so showing the
 * page never queries the database); a timer's is its last run plus its period.
 */
public final class ScheduledJobs {

    /** One job as the page shows it; {@code lastRun} and {@code nextRun} may be null (not run yet, not known). */
    public record Job(String name, String route, String schedule, Instant lastRun, Instant nextRun) {
    }

    private record Entry(String name, String route, String schedule, CronExpression cron, Duration period,
            Supplier<Instant> lastRun) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A Quartz route: {@code cron} as the route's cron parameter, in {@code zone} (Quartz's: the JVM's default). */
    public ScheduledJobs cron(String name, String route, String cron, ZoneId zone, Supplier<Instant> lastRun) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            entries.add(new Entry(name, route, "cron " + cron, expression, null, lastRun));
        } catch (ParseException e) {
            throw new IllegalArgumentException("Not a Quartz cron expression: " + cron + " (" + e.getMessage() + ")", e);
        }
        return this;
    }

    /** A timer route that runs every {@code period}. */
    public ScheduledJobs every(String name, String route, Duration period, Supplier<Instant> lastRun) {
        String every = period.toMillis() < 1000 ? period.toMillis() + " ms" : Progress.words(period);
        entries.add(new Entry(name, route, "every " + every, null, period, lastRun));
        return this;
    }

    /** Each job, with its next run after {@code now}. */
    public List<Job> at(Instant now) {
        List<Job> jobs = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            Instant last = entry.lastRun().get();
            Instant next;
            if (entry.cron() != null) {
                Date after = entry.cron().getNextValidTimeAfter(Date.from(now));
                next = after == null ? null : after.toInstant();
            } else {
                next = last == null ? null : last.plus(entry.period());
                if (next != null && next.isBefore(now)) {
                    next = now;   // due: it runs as soon as the one before it is done
                }
            }
            jobs.add(new Job(entry.name(), entry.route(), entry.schedule(), last, next));
        }
        return jobs;
    }

    /** The job that runs {@code route}, or null. */
    public Job of(String route, Instant now) {
        return at(now).stream().filter(job -> job.route().equals(route)).findFirst().orElse(null);
    }
}
