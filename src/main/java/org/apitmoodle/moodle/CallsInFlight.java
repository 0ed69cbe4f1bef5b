package org.apitmoodle.moodle;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.LongSupplier;

/**
 * How many Moodle calls may be in flight at once, adapted to how Moodle answers (a Vegas-like limiter): the limit
 * rises by one while answers come as fast as that kind of call ever came, falls by one when they come slower
 * because calls queue in Moodle, and halves when Moodle says it is overloaded (HTTP 429 or 503, or no answer in
 * time). It never exceeds the maximum (sync.moodle-calls-in-flight) nor falls below one. Fixed: always the maximum.
 *
 * <p>Moodle's calls cost very different times (a look-up of 50 usernames against the creation of 50 users), so
 * each kind of call (function and number of records) has its own yardstick: the fastest answer it ever got. An
 * answer's queue estimate is {@code callsInFlight * (1 - fastest / this one)}: about how many calls were waiting in
 * Moodle instead of being served. Below {@link #RISE_BELOW} the limit rises (when it was all used), above
 * {@link #FALL_ABOVE} it falls. A kind's first answer only sets its yardstick, and the limit does not rise while a
 * kind's first call is in flight.
 *
 * <p>The limit holds calls back in one place: the pool of threads that take batches to Moodle ({@link #limits}) has
 * as many threads as the limit. A batch makes one call at a time, so no more calls than that are ever in flight;
 * a batch waits in the pool's queue for a thread, not for a permit.
 */
public final class CallsInFlight {

    /** Queue estimates (calls waiting in Moodle) under which the limit rises and over which it falls. */
    static final double RISE_BELOW = 2;
    static final double FALL_ABOVE = 4;

    private final String name;
    private final int maximum;
    private final boolean adaptive;
    private final LongSupplier nanoClock;
    private final Map<String, Long> fastestNanos = new HashMap<>();
    private int limit;
    private int highestLimit;
    private int inFlight;
    /** Calls in flight whose kind had no yardstick when they went. */
    private int learningInFlight;
    private long answers;
    private long overloads;
    /** When a call last went or came back (nanoClock). */
    private long lastActiveNanos;
    /** The threads that take batches to Moodle, as many as the limit; none in a test of the limit alone. */
    private ThreadPoolExecutor threads;

    /**
     * @param name      whose calls these are (sync, grades), for logs
     * @param maximum   the most calls in flight at once
     * @param adaptive  false: always {@code maximum}
     * @param nanoClock the time (System::nanoTime; tests give a fake one)
     */
    public CallsInFlight(String name, int maximum, boolean adaptive, LongSupplier nanoClock) {
        if (maximum < 1) {
            throw new IllegalArgumentException("maximum must be at least 1, not " + maximum);
        }
        this.name = name;
        this.maximum = maximum;
        this.adaptive = adaptive;
        this.nanoClock = nanoClock;
        this.limit = adaptive ? 1 : maximum;
        this.highestLimit = limit;
        this.lastActiveNanos = nanoClock.getAsLong();
    }

    /**
     * Whether calls were in flight within the last {@code millis}: one is now, or one came back since. What gives
     * way to these calls (the drift reconcile) waits through the short gaps between a busy sync's polls too.
     */
    public synchronized boolean busyWithin(long millis) {
        return inFlight > 0 || nanoClock.getAsLong() - lastActiveNanos < millis * 1_000_000L;
    }

    public String name() {
        return name;
    }

    public synchronized int limit() {
        return limit;
    }

    /** The highest the limit has been so far. */
    public synchronized int highestLimit() {
        return highestLimit;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Answers that said Moodle was overloaded (429, 503, timeout) so far. */
    public synchronized long overloads() {
        return overloads;
    }

    /**
     * From now on the pool has as many threads as the limit, whenever it moves: the one thing that holds calls back.
     * Its threads carry batches (or, for the grade poll, courses), each making one Moodle call at a time.
     */
    public synchronized void limits(ThreadPoolExecutor threads) {
        this.threads = threads;
        resize();
    }

    /** A call of no particular kind goes now. */
    public Call start() {
        return start(null);
    }

    /**
     * A call of this kind (see {@link Call#answered}) goes now: it is counted in flight and timed. It does not wait:
     * the thread making it was let go by the limit. While a call of a kind without a yardstick yet is in flight, the
     * limit does not rise: its first answer, the yardstick, must come with as few calls beside it as can be, or it is
     * slower than the call alone and the limit overshoots.
     */
    public synchronized Call start(String kind) {
        inFlight++;
        lastActiveNanos = nanoClock.getAsLong();
        boolean learning = kind != null && adaptive && !fastestNanos.containsKey(kind);
        if (learning) {
            learningInFlight++;
        }
        return new Call(inFlight, limit, nanoClock.getAsLong(), learning);
    }

    /** One call in flight; exactly one of its methods is called when the call is over. */
    public final class Call {

        private final int inFlightAtStart;
        private final int limitAtStart;
        private final long startNanos;
        private final boolean learning;
        private boolean over;

        private Call(int inFlightAtStart, int limitAtStart, long startNanos, boolean learning) {
            this.inFlightAtStart = inFlightAtStart;
            this.limitAtStart = limitAtStart;
            this.startNanos = startNanos;
            this.learning = learning;
        }

        /** Moodle answered (whatever it said) a call of this kind: its time says whether Moodle keeps up. */
        public void answered(String kind) {
            long nanos = nanoClock.getAsLong() - startNanos;
            over(() -> sample(kind, Math.max(1, nanos), inFlightAtStart, limitAtStart));
        }

        /** Moodle said it is overloaded (HTTP 429 or 503) or did not answer in time. */
        public void overloaded() {
            over(CallsInFlight.this::overload);
        }

        /** The call failed in a way that says nothing about Moodle's load (refused connection, dry run). */
        public void ignored() {
            over(() -> { });
        }

        private void over(Runnable adapt) {
            synchronized (CallsInFlight.this) {
                if (over) {
                    return;
                }
                over = true;
                inFlight--;
                lastActiveNanos = nanoClock.getAsLong();
                if (learning) {
                    learningInFlight--;
                }
                if (adaptive) {
                    adapt.run();
                    resize();
                }
            }
        }
    }

    // Called with the lock held.
    private void sample(String kind, long nanos, int inFlightAtStart, int limitAtStart) {
        answers++;
        Long known = fastestNanos.get(kind);
        if (known == null) {
            // The first answer of a kind is its yardstick and says nothing of a queue: it must not raise the limit
            // (each new kind raising it by one drove the limit to 12 on 2 cores). It is taken as it came: a yardstick
            // too fast never mends, as it is a minimum, and keeps the limit low.
            fastestNanos.put(kind, nanos);
            return;
        }
        long fastest = Math.min(known, nanos);
        fastestNanos.put(kind, fastest);
        double queue = inFlightAtStart * (1 - (double) fastest / nanos);
        if (queue < RISE_BELOW) {
            // Only a limit that was all used has shown it is not too low.
            if (inFlightAtStart >= limitAtStart && limit < maximum && learningInFlight == 0) {
                limit++;
                highestLimit = Math.max(highestLimit, limit);
            }
        } else if (queue > FALL_ABOVE && limit > 1) {
            limit--;
        }
    }

    private void overload() {
        overloads++;
        limit = Math.max(1, limit / 2);
    }

    // Called with the lock held, so the pool follows the limit's moves in order. A thread over the new size ends
    // once its batch is done; a larger size starts threads for the batches waiting.
    private void resize() {
        if (threads == null || threads.getCorePoolSize() == limit) {
            return;
        }
        if (limit > threads.getMaximumPoolSize()) {
            threads.setMaximumPoolSize(limit);
            threads.setCorePoolSize(limit);
        } else {
            threads.setCorePoolSize(limit);
            threads.setMaximumPoolSize(limit);
        }
    }

    @Override
    public synchronized String toString() {
        return name + " calls in flight: " + inFlight + " of " + limit + " (maximum " + maximum
                + (adaptive ? ", adaptive" : ", fixed") + ")";
    }
}
