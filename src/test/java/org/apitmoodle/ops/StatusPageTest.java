package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.Test;

class StatusPageTest {

    private final SyncStatistics statistics = new SyncStatistics();
    private final SyncOutcomes outcomes = new SyncOutcomes(new SimpleMeterRegistry());
    private final Clock clock = Clock.fixed(Instant.parse("2027-03-01T09:00:00Z"), ZoneOffset.UTC);
    private final OperationsMetrics metrics = new OperationsMetrics(new SimpleMeterRegistry(), statistics, clock);
    private final MoodleCalls moodleCalls = new MoodleCalls();
    private final Progress progress = new Progress(statistics, outcomes::finished, clock::millis);
    private final SyncPause pause = new SyncPause();

    private StatusPage page(boolean gradesEnabled) {
        return new StatusPage(statistics, outcomes, metrics, moodleCalls, progress, () -> pause, gradesEnabled, false, 5,
                "poll-", clock);
    }

    @Test
    void aPauseReasonFromMoodleIsShownAsText() {
        pause.pause("Moodle said <script>alert('x')</script>");

        String html = page(true).render();

        assertThat(html).doesNotContain("<script>alert").contains("Moodle said &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("class=\"paused\"");
    }

    @Test
    void showsCountsLatencyAndProgress() {
        statistics.backlog(List.of(Map.of("entity_type", "user", "waiting", 40L)));
        statistics.openDeadLetters(List.of(Map.of("entity_type", "user", "open", 1L)));
        progress.backlogRead();
        moodleCalls.started();
        moodleCalls.started();
        moodleCalls.finished(30);
        metrics.pollSucceeded("poll-user");

        String html = page(false).render();

        assertThat(html).contains("<meta http-equiv=\"refresh\" content=\"5\">")
                .contains("<td class=\"number backlog\">40</td>")
                .contains("<td class=\"number dead-lettered\">1</td>")
                .contains("<td class=\"last-poll\">0 s ago</td>")
                .contains("0 of 40 done, 0.0/s, time left not known yet")
                .contains("Moodle calls in flight: <span id=\"in-flight\">1</span>")
                .contains("Latest 1 calls: 30 ms on average, at most 30 ms.")
                .contains("Grade poll: off (grades.enabled is false).")
                .contains("href=\"dead-letter-queue\"").contains(": 1 open entry.");
    }
}
