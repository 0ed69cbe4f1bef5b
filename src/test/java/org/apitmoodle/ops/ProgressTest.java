package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final AtomicLong now = new AtomicLong(0);
    private final Map<String, Long> finished = new HashMap<>();
    private final SyncStatistics statistics = new SyncStatistics();
    private final Progress progress = new Progress(statistics, type -> finished.getOrDefault(type, 0L), now::get);

    @Test
    void whileRecordsWaitItSaysDoneOfTotalRateAndTimeLeft() {
        finished.put("user", 100L);   // done before this run: not counted in it
        backlog("user", 1000);
        assertThat(progress.lines()).singleElement().satisfies(line -> {
            assertThat(line.done()).isZero();
            assertThat(line.total()).isEqualTo(1000);
            assertThat(line.left()).as("no rate yet").isNull();
        });

        now.set(10_000);
        finished.put("user", 300L);
        backlog("user", 800);

        Progress.Line line = progress.lines().get(0);
        assertThat(line.operation()).isEqualTo("user");
        assertThat(line.done()).isEqualTo(200);
        assertThat(line.total()).isEqualTo(1000);
        assertThat(line.perSecond()).isEqualTo(20.0);
        assertThat(line.left()).isEqualTo(Duration.ofSeconds(40));
        assertThat(line.sentence()).isEqualTo("user: 200 of 1000 done, 20.0/s, about 40 s left");
    }

    @Test
    void recordsArrivingDuringTheRunAddToTheTotalAndAnEmptyBacklogEndsIt() {
        backlog("enrolment", 10);
        now.set(1_000);
        finished.put("enrolment", 5L);
        backlog("enrolment", 15);   // 10 more booked meanwhile
        assertThat(progress.lines().get(0).total()).isEqualTo(20);

        finished.put("enrolment", 20L);
        backlog("enrolment", 0);
        assertThat(progress.lines()).isEmpty();
    }

    @Test
    void theGradePollIsNotAProgressItIsReadAgainAtEveryPoll() {
        backlog("grades", 50);
        assertThat(progress.lines()).isEmpty();
    }

    @Test
    void timeLeftInWords() {
        assertThat(Progress.words(Duration.ofSeconds(12))).isEqualTo("12 s");
        assertThat(Progress.words(Duration.ofSeconds(271))).isEqualTo("4 min 31 s");
        assertThat(Progress.words(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    }

    private void backlog(String type, long waiting) {
        statistics.backlog(List.of(Map.of("entity_type", type, "waiting", waiting)));
        progress.backlogRead();
    }
}
