package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The latency model's capacity: CPU shared by the cores, calls beyond the workers waiting, beyond the backlog
 * turned away. Tolerances are generous: the machine running the tests is shared.
 */
class CapacityTest {

    /** 300 ms of CPU a call and nothing else. */
    private static LatencyModel cpuBound(int cores, int workers, int backlog) {
        return new LatencyModel("test", cores, workers, backlog, Duration.ZERO, Duration.ofMillis(300),
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private static List<Long> millisOfConcurrentCalls(Capacity capacity, int calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                results.add(threads.submit((Callable<Long>) () -> {
                    long start = System.nanoTime();
                    assertThat(capacity.takeWorker()).isTrue();
                    try {
                        capacity.spend(LatencyModel.Work.NOTHING);
                    } finally {
                        capacity.releaseWorker();
                    }
                    return (System.nanoTime() - start) / 1_000_000;
                }));
            }
            List<Long> millis = new ArrayList<>();
            for (Future<Long> result : results) {
                millis.add(result.get());
            }
            return millis;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void fourCpuBoundCallsOnTwoCoresEachTakeAboutTwiceAsLongAsOneAlone() throws Exception {
        Capacity capacity = new Capacity(cpuBound(2, 4, 0));

        long alone = millisOfConcurrentCalls(capacity, 1).get(0);
        List<Long> four = millisOfConcurrentCalls(capacity, 4);

        assertThat(alone).isBetween(280L, 450L);
        for (long each : four) {
            assertThat((double) each / alone).as("one of four calls against one alone").isBetween(1.6, 2.6);
        }
    }

    @Test
    void twoCpuBoundCallsOnTwoCoresTakeNoLongerThanOneAlone() throws Exception {
        Capacity capacity = new Capacity(cpuBound(2, 4, 0));

        long alone = millisOfConcurrentCalls(capacity, 1).get(0);
        List<Long> two = millisOfConcurrentCalls(capacity, 2);

        for (long each : two) {
            assertThat((double) each / alone).as("one of two calls against one alone").isBetween(0.8, 1.4);
        }
    }

    @Test
    void callsBeyondTheWorkersWaitForOne() throws Exception {
        // 8 cores but 2 workers: 4 calls run two at a time, so the last two take about twice as long.
        Capacity capacity = new Capacity(cpuBound(8, 2, 10));

        List<Long> four = millisOfConcurrentCalls(capacity, 4);

        assertThat(four.stream().mapToLong(Long::longValue).max().orElseThrow()).isBetween(550L, 1000L);
        assertThat(four.stream().mapToLong(Long::longValue).min().orElseThrow()).isBetween(280L, 450L);
    }

    @Test
    void aCallFindingEveryWorkerBusyAndTheBacklogFullIsTurnedAway() throws Exception {
        Capacity capacity = new Capacity(cpuBound(1, 1, 0));
        assertThat(capacity.takeWorker()).isTrue();

        assertThat(capacity.takeWorker()).as("the second call, no backlog").isFalse();

        capacity.releaseWorker();
        assertThat(capacity.takeWorker()).isTrue();
    }

    @Test
    void costsFollowTheCalibration() {
        LatencyModel model = LatencyModel.TWO_CORES;

        assertThat(model.cost(LatencyModel.Work.NOTHING)).as("site info").isBetween(Duration.ofMillis(25),
                Duration.ofMillis(35));
        assertThat(model.cpu(new LatencyModel.Work(50, 0, 0, 0, 0, 0)).minus(model.perCall()))
                .as("50 users with createpassword=1").isEqualTo(Duration.ofMillis(50 * 75));
        assertThat(model.cost(new LatencyModel.Work(0, 50, 0, 0, 0, 0))).as("50 users without a password")
                .isBetween(Duration.ofMillis(350), Duration.ofMillis(460));
        assertThat(model.cost(new LatencyModel.Work(0, 0, 0, 0, 200, 0))).as("200 usernames looked up")
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
    }
}
