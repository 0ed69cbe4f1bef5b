package org.apitmoodle.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apitmoodle.sync.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the sync has got while records wait, per operation: done, of total, rate and time left. A run starts when
 * an operation's backlog is first seen above 0 and ends when no operation has anything waiting. Done is what the operation finished
 * since the run started (synced or dead-lettered); the total is done plus the backlog, both taken when the backlog
 * was read (every ops.refresh-period-ms), so the total does not jump between reads. The route log-progress logs
 * it every ops.progress-period-ms; the status page shows it.
 *
 * <p>The grade poll is left out: it reads every open delegate at every poll, so its "backlog" never drains.
 */
public final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    /** One operation's progress; {@code left} is null while no rate is known yet. */
    public record Line(String operation, long done, long total, double perSecond, Duration left) {

        /** "user: 1200 of 9900 done, 32.1/s, about 4 min 31 s left". */
        public String sentence() {
            return operation + ": " + done + " of " + total + " done, " + String.format(Locale.ROOT, "%.1f/s", perSecond)
                    + ", " + (done >= total && total > 0 ? "none left for now (others still wait)"
                            : left == null ? "time left not known yet" : "about " + words(left) + " left");
        }
    }

    private static final class Run {
        final long startMillis;
        final long finishedAtStart;
        long total;

        Run(long startMillis, long finishedAtStart) {
            this.startMillis = startMillis;
            this.finishedAtStart = finishedAtStart;
        }
    }

    private final SyncStatistics statistics;
    private final ToLongFunction<String> finished;
    private final LongSupplier clock;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** What each operation had finished just before the backlog was counted (see {@link #backlogAboutToBeRead()}). */
    private final Map<String, Long> finishedBeforeRead = new LinkedHashMap<>();

    /** {@code finished} counts an operation's records synced or dead-lettered since start (SyncOutcomes). */
    public Progress(SyncStatistics statistics, ToLongFunction<String> finished, LongSupplier clock) {
        this.statistics = statistics;
        this.finished = finished;
        this.clock = clock;
    }

    /**
     * Called right after the backlog was read: starts, updates and ends the runs. A run ends only once nothing waits
     * in any operation: in a first sync an operation that waits for another (enrolments for their users and
     * courses, group members for their groups) is often read at 0 for a moment, and ending its run there showed an
     * empty Progress and started its count and rate afresh, so a long sync never showed how far it had got.
     */
    /**
     * Called just before the backlog is counted. A batch finishing while the count runs was counted as waiting and
     * then as finished too, and the total (which never shrinks) kept that batch twice: taken before the count, the
     * finished figure misses it at worst, and the next read adds it.
     */
    public synchronized void backlogAboutToBeRead() {
        for (Operation operation : Operation.values()) {
            finishedBeforeRead.put(operation.key(), finished.applyAsLong(operation.key()));
        }
    }

    public synchronized void backlogRead() {
        boolean anyWaiting = false;
        for (Operation operation : Operation.values()) {
            if (operation != Operation.GRADES && statistics.backlog(operation.key()) > 0) {
                anyWaiting = true;
            }
        }
        if (!anyWaiting) {
            runs.clear();
            finishedBeforeRead.clear();
            return;
        }
        for (Operation operation : Operation.values()) {
            if (operation == Operation.GRADES) {
                continue;
            }
            String key = operation.key();
            long backlog = statistics.backlog(key);
            Run run = runs.get(key);
            if (run == null && backlog == 0) {
                continue;
            }
            Long before = finishedBeforeRead.get(key);
            long finishedNow = before != null ? before : finished.applyAsLong(key);
            if (run == null) {
                run = new Run(clock.getAsLong(), finishedNow);
                runs.put(key, run);
            }
            run.total = Math.max(run.total, finishedNow - run.finishedAtStart + backlog);
        }
        finishedBeforeRead.clear();
    }

    /** The operations of the current run (something waits), in the order of {@link Operation}. */
    public synchronized List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        long now = clock.getAsLong();
        for (Operation operation : Operation.values()) {
            Run run = runs.get(operation.key());
            if (run == null) {
                continue;
            }
            long done = Math.max(0, finished.applyAsLong(operation.key()) - run.finishedAtStart);
            long total = Math.max(run.total, done);
            double seconds = Math.max(0.001, (now - run.startMillis) / 1000.0);
            double rate = done / seconds;
            Duration left = rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : null;
            lines.add(new Line(operation.key(), done, total, rate, left));
        }
        return lines;
    }

    /** One log line per operation with records waiting. */
    public void log() {
        for (Line line : lines()) {
            LOG.info("Progress {}", line.sentence());
        }
    }

    /** "2 h 5 min", "4 min 31 s", "12 s". */
    static String words(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds >= 3600) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        if (seconds >= 60) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds + " s";
    }
}
