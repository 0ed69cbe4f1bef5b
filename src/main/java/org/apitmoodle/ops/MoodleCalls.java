package org.apitmoodle.ops;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/** Moodle calls in flight now, and how long the recent ones took: what the status page shows of Moodle. */
public final class MoodleCalls {

    /** How many of the latest calls the recent latency is taken over. */
    public static final int RECENT = 50;

    /** The latency of the latest calls; count 0 before the first. */
    public record Latency(int count, long averageMs, long maximumMs) {
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Deque<Long> recentMs = new ArrayDeque<>();

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished(long millis) {
        inFlight.updateAndGet(n -> Math.max(0, n - 1));
        synchronized (recentMs) {
            recentMs.addLast(millis);
            if (recentMs.size() > RECENT) {
                recentMs.removeFirst();
            }
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public Latency recent() {
        synchronized (recentMs) {
            long sum = 0;
            long max = 0;
            for (long ms : recentMs) {
                sum += ms;
                max = Math.max(max, ms);
            }
            return new Latency(recentMs.size(), recentMs.isEmpty() ? 0 : sum / recentMs.size(), max);
        }
    }
}
