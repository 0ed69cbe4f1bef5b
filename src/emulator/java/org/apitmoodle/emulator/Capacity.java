package org.apitmoodle.emulator;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Moodle server's capacity under a {@link LatencyModel}: its workers (a call holds one from start to end; calls
 * beyond them wait, and beyond the backlog they are turned away) and its cores, shared by processor sharing: the
 * CPU time of a call is spent in short slices, each on a core taken from a fair semaphore, so n calls wanting CPU on
 * c cores (n > c) each progress at c/n of a core's speed: 4 CPU-bound calls on 2 cores take twice as long as one.
 */
final class Capacity {

    /** The slice of CPU a call holds a core for before it queues again: short against the calls' costs. */
    static final Duration SLICE = Duration.ofMillis(2);

    private final LatencyModel model;
    private final Semaphore workers;
    private final Semaphore cores;
    private final AtomicInteger waiting = new AtomicInteger();

    Capacity(LatencyModel model) {
        this.model = model;
        this.workers = model.hasCapacity() ? new Semaphore(model.workers(), true) : null;
        this.cores = model.hasCapacity() ? new Semaphore(model.cores(), true) : null;
    }

    LatencyModel model() {
        return model;
    }

    /**
     * Takes a worker, waiting for one if all are busy; false (take none) when the backlog is full: the caller
     * answers 503 then.
     */
    boolean takeWorker() throws InterruptedException {
        if (workers == null) {
            return true;
        }
        if (workers.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > model.backlog()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            workers.acquire();
            return true;
        } finally {
            waiting.decrementAndGet();
        }
    }

    void releaseWorker() {
        if (workers != null) {
            workers.release();
        }
    }

    /** Spends a call's modelled time: its wait (no CPU), then its CPU time on the shared cores. */
    void spend(LatencyModel.Work work) throws InterruptedException {
        sleep(model.perCallWait().toNanos());
        long cpu = model.cpu(work).toNanos();
        if (cores == null) {
            sleep(cpu);
            return;
        }
        long slice = SLICE.toNanos();
        while (cpu > 0) {
            long part = Math.min(slice, cpu);
            cores.acquire();
            try {
                long start = System.nanoTime();
                sleep(part);
                // An overslept slice counts: the call got that much CPU.
                cpu -= Math.max(part, System.nanoTime() - start);
            } finally {
                cores.release();
            }
        }
    }

    private static void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }
}
