package org.apitmoodle.moodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The adaptive calls in flight on a fake clock: a Moodle that answers as fast as the calls' own cost lets the
 * limit rise to the maximum; the same Moodle made slow (calls queue in it) brings it down; fast again, it rises
 * again. An overloaded answer halves it. The pool the batches go on follows it: the one thing that holds calls back.
 */
class CallsInFlightTest {

    private final AtomicLong now = new AtomicLong();

    /**
     * A Moodle of {@code cores} cores whose calls cost {@code costMillis} alone: with n in flight each takes
     * {@code cost * max(1, n / cores)}. Runs rounds of as many calls as the limit lets go, all answered together.
     */
    private void rounds(CallsInFlight limiter, int rounds, int cores, long costMillis) {
        rounds(limiter, rounds, cores, costMillis, "core_user_create_users#50");
    }

    private void rounds(CallsInFlight limiter, int rounds, int cores, long costMillis, String kind)
            {
        for (int round = 0; round < rounds; round++) {
            List<CallsInFlight.Call> calls = new ArrayList<>();
            int limit = limiter.limit();
            for (int i = 0; i < limit; i++) {
                calls.add(limiter.start(kind));
            }
            now.addAndGet(costMillis * 1_000_000 * Math.max(1, (long) Math.ceil((double) calls.size() / cores)));
            calls.forEach(call -> call.answered(kind));
        }
    }

    @Test
    void risesWhileLatencyHoldsAndFallsWhenItClimbs() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        assertThat(limiter.limit()).as("at first").isEqualTo(1);

        // A large Moodle (32 cores): latency holds whatever the calls in flight, the limit rises to the maximum.
        rounds(limiter, 20, 32, 100);
        assertThat(limiter.limit()).as("fast Moodle").isEqualTo(16);

        // Made slow: 2 cores, so with 16 in flight each call takes 8 times as long: the limit falls.
        rounds(limiter, 20, 2, 100);
        assertThat(limiter.limit()).as("slow Moodle").isBetween(2, 7);

        // Fast again: it rises again.
        rounds(limiter, 20, 32, 100);
        assertThat(limiter.limit()).as("fast again").isEqualTo(16);
    }

    @Test
    void settlesNearWhatTheCoresServeWithoutQueueingMuch() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);

        rounds(limiter, 60, 8, 100);

        // 8 cores: at least 8 in flight to use them all, a few more waiting in Moodle at most.
        assertThat(limiter.limit()).isBetween(8, 13);
    }

    @Test
    void anOverloadedAnswerHalvesTheLimit() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        rounds(limiter, 20, 32, 100);
        assertThat(limiter.limit()).isEqualTo(16);

        limiter.start().overloaded();

        assertThat(limiter.limit()).isEqualTo(8);
        assertThat(limiter.overloads()).isEqualTo(1);
    }

    @Test
    void aFixedLimitIsAlwaysTheMaximum() {
        CallsInFlight limiter = new CallsInFlight("sync", 4, false, now::get);
        rounds(limiter, 10, 1, 100);
        limiter.start().overloaded();

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void thePoolBatchesGoOnHasAsManyThreadsAsTheLimit() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        ThreadPoolExecutor threads = new ThreadPoolExecutor(16, 16, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            limiter.limits(threads);
            assertThat(threads.getMaximumPoolSize()).as("at first").isEqualTo(1);

            rounds(limiter, 20, 32, 100);
            assertThat(threads.getCorePoolSize()).as("risen on a fast Moodle").isEqualTo(16);
            assertThat(threads.getMaximumPoolSize()).isEqualTo(16);

            limiter.start().overloaded();
            assertThat(threads.getCorePoolSize()).as("halved").isEqualTo(8);
            assertThat(threads.getMaximumPoolSize()).isEqualTo(8);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBatchWaitsForAThreadUntilOneIsFree() throws Exception {
        CallsInFlight limiter = new CallsInFlight("sync", 1, false, now::get);
        ThreadPoolExecutor threads = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            limiter.limits(threads);
            CountDownLatch firstIsOnItsWay = new CountDownLatch(1);
            CountDownLatch firstMayFinish = new CountDownLatch(1);
            CountDownLatch secondDone = new CountDownLatch(1);
            threads.execute(() -> {
                CallsInFlight.Call call = limiter.start("core_user_create_users#50");
                firstIsOnItsWay.countDown();
                await(firstMayFinish);
                call.answered("core_user_create_users#50");
            });
            assertThat(firstIsOnItsWay.await(10, TimeUnit.SECONDS)).isTrue();
            threads.execute(() -> {
                limiter.start("core_user_create_users#50").answered("core_user_create_users#50");
                secondDone.countDown();
            });

            // The limit's one thread carries the first batch: the second waits in the queue, not on a second call.
            assertThat(threads.getQueue()).as("the second batch waits for a thread").hasSize(1);
            assertThat(limiter.inFlight()).isEqualTo(1);

            firstMayFinish.countDown();
            assertThat(secondDone.await(10, TimeUnit.SECONDS)).as("the second batch went once a thread was free")
                    .isTrue();
            assertThat(limiter.inFlight()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void eachKindOfCallHasItsOwnYardstick() {
        CallsInFlight limiter = new CallsInFlight("sync", 8, true, now::get);
        // Cheap look-ups on a large Moodle raise the limit; then costly creations, as fast as they go alone: they
        // are not taken for calls queueing behind the look-ups.
        rounds(limiter, 10, 32, 20, "core_user_get_users_by_field#50");
        assertThat(limiter.limit()).isEqualTo(8);

        rounds(limiter, 10, 32, 3_800, "core_user_create_users#50");

        assertThat(limiter.limit()).isEqualTo(8);
    }

    @Test
    void aKindsFirstAnswerDoesNotRaiseTheLimit() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        // Ten kinds of call, one answer each, all as fast as can be: nothing yet says Moodle has room to spare.
        for (int records = 1; records <= 10; records++) {
            rounds(limiter, 1, 32, 20, "core_user_get_users_by_field#" + records);
        }

        assertThat(limiter.limit()).isEqualTo(1);
    }

    @Test
    void aYardstickLearntUnderLoadOvershootsOnlyALittle() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        // Cheap look-ups on a 2-core Moodle bring the limit up to what they need; the first creations then come
        // while others are in flight, so their yardstick is slower than one alone.
        rounds(limiter, 30, 2, 20, "core_user_get_users_by_field#50");
        rounds(limiter, 60, 2, 3_800);

        // Alone, 2 to 4 keep 2 cores busy; learnt under load, a few more wait in Moodle, never 12.
        assertThat(limiter.limit()).isBetween(2, 7);
        assertThat(limiter.highestLimit()).isLessThanOrEqualTo(8);
    }

    @Test
    void theLimitDoesNotRiseWhileAKindsFirstCallIsInFlight() {
        CallsInFlight limiter = new CallsInFlight("sync", 16, true, now::get);
        rounds(limiter, 4, 32, 20, "core_user_get_users_by_field#50");
        int before = limiter.limit();
        assertThat(before).isGreaterThan(1);

        // The first creation of 50 users goes; look-ups answer as fast as ever beside it, yet the limit waits.
        CallsInFlight.Call firstCreation = limiter.start("core_user_create_users#50");
        for (int round = 0; round < 5; round++) {
            // The look-ups use all the limit beside the creation: a round that would raise it.
            List<CallsInFlight.Call> lookups = new ArrayList<>();
            while (limiter.inFlight() < limiter.limit()) {
                lookups.add(limiter.start("core_user_get_users_by_field#50"));
            }
            now.addAndGet(20_000_000);
            lookups.forEach(lookup -> lookup.answered("core_user_get_users_by_field#50"));
        }
        assertThat(limiter.limit()).isEqualTo(before);

        now.addAndGet(3_800_000_000L);
        firstCreation.answered("core_user_create_users#50");
        rounds(limiter, 4, 32, 20, "core_user_get_users_by_field#50");
        assertThat(limiter.limit()).isGreaterThan(before);
    }

    @Test
    void busyWhileACallIsInFlightAndForAWhileAfterItCameBack() {
        CallsInFlight limiter = new CallsInFlight("sync", 4, false, now::get);
        now.addAndGet(5_000_000_000L);
        assertThat(limiter.busyWithin(1_000)).as("no call for 5 s").isFalse();

        CallsInFlight.Call call = limiter.start();
        now.addAndGet(3_000_000_000L);
        assertThat(limiter.busyWithin(1_000)).as("a call in flight, however long").isTrue();
        call.answered("look-up");
        now.addAndGet(900_000_000L);
        assertThat(limiter.busyWithin(1_000)).as("0.9 s after it came back").isTrue();
        now.addAndGet(200_000_000L);
        assertThat(limiter.busyWithin(1_000)).as("1.1 s after it came back").isFalse();
    }
}
