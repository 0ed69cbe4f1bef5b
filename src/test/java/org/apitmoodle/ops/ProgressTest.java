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
    void anOperationWaitingForAnotherKeepsItsRunWhenItsBacklogIsReadAtZero() {
        backlogs(Map.of("user", 100L, "enrolment", 50L));
        now.set(10_000);
        finished.put("user", 50L);
        finished.put("enrolment", 50L);
        backlogs(Map.of("user", 50L));   // its enrolments done; the next come once their users are in Moodle

        assertThat(progress.lines()).extracting(Progress.Line::sentence).containsExactly(
                "user: 50 of 100 done, 5.0/s, about 10 s left",
                "enrolment: 50 of 50 done, 5.0/s, none left for now (others still wait)");

        now.set(20_000);
        finished.put("enrolment", 80L);
        backlogs(Map.of("user", 10L, "enrolment", 20L));
        assertThat(progress.lines().get(1).sentence()).as("the same run: counted since its start")
                .isEqualTo("enrolment: 80 of 100 done, 4.0/s, about 5 s left");

        backlogs(Map.of());
        assertThat(progress.lines()).as("nothing waits anywhere: the run is over").isEmpty();
    }

    @Test
    void aBatchFinishingWhileTheBacklogIsCountedIsNotCountedTwice() {
        backlog("user", 100);
        progress.backlogAboutToBeRead();
        // The count still sees the batch of 50 as waiting; it is written back before backlogRead.
        finished.put("user", 50L);
        statistics.backlog(List.of(Map.of("entity_type", "user", "waiting", 100L)));
        progress.backlogRead();

        assertThat(progress.lines().get(0).total()).isEqualTo(100);
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

    private void backlogs(Map<String, Long> waiting) {
        statistics.backlog(waiting.entrySet().stream()
                .map(e -> Map.<String, Object>of("entity_type", e.getKey(), "waiting", e.getValue())).toList());
        progress.backlogRead();
    }

    private void backlog(String type, long waiting) {
        statistics.backlog(List.of(Map.of("entity_type", type, "waiting", waiting)));
        progress.backlogRead();
    }
}
