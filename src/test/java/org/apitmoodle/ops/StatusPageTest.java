package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apitmoodle.support.TestClock;
import org.apitmoodle.sync.RemovalGuard;
import org.apitmoodle.sync.SyncPause;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.css.ComputedCssStyleDeclaration;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page as an operator sees it, in a headless browser (HtmlUnit, with CSS) on figures and a clock the
 * test sets: what needs attention first and in colour, the Moodle site, the next runs, the last 24 hours.
 */
class StatusPageTest {

    private static final Instant NOW = Instant.parse("2027-03-01T09:07:30Z");

    private final TestClock clock = new TestClock(NOW);
    private final SyncStatistics statistics = new SyncStatistics();
    private final SyncOutcomes outcomes = new SyncOutcomes(new SimpleMeterRegistry());
    private final OperationsMetrics metrics = new OperationsMetrics(new SimpleMeterRegistry(), statistics, clock);
    private final MoodleCalls moodleCalls = new MoodleCalls();
    private final Progress progress = new Progress(statistics, outcomes::finished, clock::millis);
    private final SyncPause pause = new SyncPause(3, clock);
    private final RemovalGuard removalGuard = new RemovalGuard(10);
    private final MoodleSiteCheck site = new MoodleSiteCheck();
    private final List<SyncHistory.Hour> hours = new ArrayList<>();
    private final WebClient browser = new WebClient(BrowserVersion.CHROME);

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    private StatusPage page(boolean gradesEnabled) {
        ScheduledJobs jobs = new ScheduledJobs()
                .cron("Grade poll", "poll-grades", "0 0/15 * * * ?", ZoneOffset.UTC, () -> metrics.lastPoll("poll-grades"))
                .every("Sync polls (each operation)", "sync-polls", Duration.ofSeconds(10), () -> metrics.lastPoll("poll-user"));
        return new StatusPage(new StatusPage.Sources(statistics, outcomes, metrics, moodleCalls, progress, () -> pause,
                removalGuard, site, () -> hours, jobs),
                new StatusPage.Options(gradesEnabled, false, 5, "poll-"), clock, ZoneOffset.UTC);
    }

    private HtmlPage open(StatusPage page) throws Exception {
        browser.getOptions().setCssEnabled(true);
        browser.getOptions().setJavaScriptEnabled(false);
        browser.setRefreshHandler((p, url, seconds) -> { });
        return browser.loadHtmlCodeIntoCurrentWindow(page.render());
    }

    private ComputedCssStyleDeclaration style(HtmlPage page, DomElement element) {
        return page.getEnclosingWindow().getComputedStyle(element, null);
    }

    @Test
    void aPausedSyncComesFirstInRedWithItsReasonAndTheFiguresAreColouredOnlyWhenNotZero() throws Exception {
        site.reachable(new ObjectMapper().readTree(
                "{\"sitename\":\"Acme Learning\",\"release\":\"4.1.10 (Build: 20240422)\",\"version\":\"2022112810\"}"));
        statistics.backlog(List.of(Map.of("entity_type", "user", "waiting", 40L),
                Map.of("entity_type", "grades", "waiting", 32L)));
        statistics.openDeadLetters(List.of(Map.of("entity_type", "user", "open", 3L)));
        progress.backlogRead();
        metrics.pollSucceeded("poll-user");
        pause.pause("Moodle refuses the integration (invalidtoken)");
        clock.advance(Duration.ofSeconds(90));
        for (int i = 23; i >= 0; i--) {
            hours.add(new SyncHistory.Hour(Instant.parse("2027-03-01T09:00:00Z").minus(Duration.ofHours(i)),
                    i == 1 ? 120 : 0, i == 1 ? 3 : 0, i == 2 ? 600 : 0));
        }

        HtmlPage page = open(page(true));

        // What needs attention comes first: the pause (red), then the open dead letters (amber), with a link.
        DomNode firstSection = page.querySelector("body > section");
        assertThat(((DomElement) firstSection).getId()).isEqualTo("attention");
        assertThat(page.querySelectorAll("#attention .item")).extracting(node -> ((DomElement) node).getId())
                .containsExactly("sending", "dead-letters");
        DomElement paused = page.getElementById("sending");
        assertThat(paused.getAttribute("class")).contains("failure");
        assertThat(style(page, paused).getColor()).isEqualTo("rgb(170, 0, 0)");
        assertThat(style(page, paused).getBackgroundColor()).isEqualTo("rgb(253, 232, 232)");
        assertThat(paused.asNormalizedText()).isEqualTo(
                "Sending is paused since 09:07 (1 min 30 s ago): Moodle refuses the integration (invalidtoken)");
        assertThat(page.querySelector("#sending time").getAttributes().getNamedItem("title").getNodeValue())
                .as("the exact time on hover").isEqualTo("2027-03-01 09:07:30 Z");
        DomElement deadLetters = page.getElementById("dead-letters");
        assertThat(style(page, deadLetters).getColor()).isEqualTo("rgb(138, 75, 0)");
        assertThat(deadLetters.asNormalizedText()).isEqualTo("3 open dead-letter entries Open the dead-letter queue");
        assertThat(page.getElementById("dead-letters-link").getAttribute("href")).isEqualTo("dead-letter-queue");

        // Figures: an open dead letter is amber, a zero plain.
        DomElement userDeadLettered = page.querySelector("#operation-user .dead-lettered");
        DomElement courseDeadLettered = page.querySelector("#operation-course .dead-lettered");
        assertThat(style(page, userDeadLettered).getColor()).isEqualTo("rgb(138, 75, 0)");
        assertThat(style(page, courseDeadLettered).getColor()).isEqualTo("rgb(34, 34, 34)");

        // The Moodle site as it last described itself.
        assertThat(page.getElementById("site-name").asNormalizedText()).isEqualTo("Acme Learning");
        assertThat(page.getElementById("site-release").asNormalizedText()).isEqualTo("4.1.10 (Build: 20240422)");
        assertThat(page.getElementById("site-version").asNormalizedText()).isEqualTo("2022112810");

        // Grades wait for their schedule, with the next run; a sync that waits shows its progress.
        assertThat(page.querySelector("#operation-grades .progress").asNormalizedText())
                .isEqualTo("waits for its schedule: next run 09:15 (in 6 min 0 s)");
        assertThat(page.querySelector("#operation-user .progress").asNormalizedText())
                .isEqualTo("0 of 40 done, 0.0/s, time left not known yet");
        assertThat(page.querySelector("#job-poll-grades .next-run").asNormalizedText()).isEqualTo("09:15 (in 6 min 0 s)");
        assertThat(page.querySelector("#job-poll-grades time").getAttributes().getNamedItem("datetime").getNodeValue())
                .isEqualTo("2027-03-01T09:15:00Z");
        assertThat(page.querySelector("#job-sync-polls .next-run").asNormalizedText()).isEqualTo("09:09 (now)");

        // The last 24 hours: a column per hour, labelled, with a bar where something happened.
        assertThat(page.querySelectorAll("#history rect.hour")).hasSize(24);
        assertThat(page.querySelector("#history rect.hour[data-hour='08:00'] title").getTextContent())
                .isEqualTo("08:00–09:00: 120 synced, 3 dead-lettered, 0 min paused");
        assertThat(page.querySelector("#history rect.hour[data-hour='07:00'] title").getTextContent())
                .isEqualTo("07:00–08:00: 0 synced, 0 dead-lettered, 10 min paused");
        assertThat(page.querySelector("#history rect.hour[data-hour='09:00'] title").getTextContent())
                .as("the pause still running counts in its hour").endsWith("0 dead-lettered, 2 min paused");
        assertThat(page.querySelectorAll("#history rect.synced")).hasSize(1);
        assertThat(page.querySelectorAll("#history rect.dead-lettered")).hasSize(1);
        assertThat(page.querySelectorAll("#history rect.paused")).hasSize(2);
        assertThat(page.querySelectorAll("#history text")).extracting(DomNode::getTextContent)
                .contains("Synced", "Dead-lettered", "Paused (min)", "09:00", "06:00");
    }

    @Test
    void whenNothingNeedsAttentionItSaysSoPlainly() throws Exception {
        HtmlPage page = open(page(false));

        assertThat(page.querySelectorAll("#attention .item")).isEmpty();
        assertThat(page.getElementById("all-clear").asNormalizedText()).isEqualTo("Nothing needs attention.");
        assertThat(page.getElementById("sending").asNormalizedText()).isEqualTo("Sending is running.");
        assertThat(page.getElementById("moodle-site").asNormalizedText()).startsWith("Moodle: not read yet");
        assertThat(page.getElementById("grade-poll").asNormalizedText()).isEqualTo("Grade poll: off (grades.enabled is false).");
        assertThat(page.getElementById("history-none")).as("no history read yet").isNotNull();
    }

    @Test
    void theRemovalGuardHoldingIsAWarning() throws Exception {
        removalGuard.held(25);

        HtmlPage page = open(page(true));

        DomElement guard = page.getElementById("removal-guard");
        assertThat(guard.getAttribute("class")).contains("warning");
        assertThat(guard.asNormalizedText()).startsWith("The removal guard holds the cancellations back: 25 enrolments wait");
    }

    @Test
    void whatMoodleWroteIsShownAsText() {
        pause.pause("Moodle said <script>alert('x')</script>");
        site.reachable(new ObjectMapper().createObjectNode().put("sitename", "<b>Site</b>"));

        String html = page(true).render();

        assertThat(html).doesNotContain("<script>alert").doesNotContain("<b>Site")
                .contains("Moodle said &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").contains("&lt;b&gt;Site");
    }
}
