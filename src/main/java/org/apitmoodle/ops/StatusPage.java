package org.apitmoodle.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apitmoodle.sync.Operation;
import org.apitmoodle.sync.SyncPause;

/**
 * The operators' status page (GET /status on the operators' server), for an operator who would rather look than
 * read metrics: per operation what waits, what was done since start, what is dead-lettered and when it last
 * polled; whether sending is paused and why; Moodle calls in flight and their recent latency; the grade poll's last
 * run; progress while records wait; a link to the dead-letter page. It reloads itself every few seconds. It reads
 * only what the scheduled routes and Camel's events keep current: showing it never queries the database or Moodle.
 */
public final class StatusPage {

    private final SyncStatistics statistics;
    private final SyncOutcomes outcomes;
    private final OperationsMetrics metrics;
    private final MoodleCalls moodleCalls;
    private final Progress progress;
    private final Supplier<SyncPause> pause;
    private final boolean gradesEnabled;
    private final boolean dryRun;
    private final long refreshSeconds;
    private final String pollRoutePrefix;
    private final Clock clock;

    public StatusPage(SyncStatistics statistics, SyncOutcomes outcomes, OperationsMetrics metrics,
            MoodleCalls moodleCalls, Progress progress, Supplier<SyncPause> pause, boolean gradesEnabled,
            boolean dryRun, long refreshSeconds, String pollRoutePrefix, Clock clock) {
        this.statistics = statistics;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.moodleCalls = moodleCalls;
        this.progress = progress;
        this.pause = pause;
        this.gradesEnabled = gradesEnabled;
        this.dryRun = dryRun;
        this.refreshSeconds = refreshSeconds;
        this.pollRoutePrefix = pollRoutePrefix;
        this.clock = clock;
    }

    public String render() {
        Map<String, Progress.Line> running = progress.lines().stream()
                .collect(Collectors.toMap(Progress.Line::operation, Function.identity()));
        StringBuilder page = new StringBuilder();
        page.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="refresh" content="%d">
                <title>Sync status</title>
                <style>
                  body { font-family: sans-serif; margin: 1.5em; }
                  table { border-collapse: collapse; margin-bottom: 1em; }
                  th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; }
                  td.number { text-align: right; font-variant-numeric: tabular-nums; }
                  .paused { color: #a00; font-weight: bold; }
                  .running { color: #070; font-weight: bold; }
                </style>
                </head>
                <body>
                <h1>accessplanit → Moodle sync: status</h1>
                """.formatted(refreshSeconds));
        SyncPause syncPause = pause.get();
        if (syncPause != null && syncPause.isPaused()) {
            page.append("<p id=\"sending\" class=\"paused\">Sending is paused since ").append(time(syncPause.since()))
                    .append(": ").append(escape(syncPause.reason())).append("</p>\n");
        } else {
            page.append("<p id=\"sending\" class=\"running\">Sending is running")
                    .append(dryRun ? " as a dry run: nothing is written to Moodle" : "").append(".</p>\n");
        }
        page.append("""
                <table id="operations">
                <thead><tr><th>Operation</th><th>Waiting</th><th>Done since start</th><th>Dead-lettered (open)</th>
                <th>Last poll</th><th>Progress</th></tr></thead>
                <tbody>
                """);
        for (Operation operation : Operation.values()) {
            String key = operation.key();
            Progress.Line line = running.get(key);
            page.append("<tr id=\"operation-").append(key).append("\"><th>").append(key).append("</th>")
                    .append("<td class=\"number backlog\">").append(statistics.backlog(key)).append("</td>")
                    .append("<td class=\"number done\">").append(outcomes.synced(key)).append("</td>")
                    .append("<td class=\"number dead-lettered\">").append(statistics.openDeadLetters(key)).append("</td>")
                    .append("<td class=\"last-poll\">").append(age(metrics.lastPollAgeSeconds(pollRoutePrefix + key)))
                    .append("</td><td class=\"progress\">")
                    .append(line == null ? "" : escape(line.sentence().substring(key.length() + 2))).append("</td></tr>\n");
        }
        page.append("</tbody>\n</table>\n");

        MoodleCalls.Latency latency = moodleCalls.recent();
        page.append("<p id=\"moodle\">Moodle calls in flight: <span id=\"in-flight\">").append(moodleCalls.inFlight())
                .append("</span>. ");
        if (latency.count() == 0) {
            page.append("<span id=\"latency\">No call made yet.</span>");
        } else {
            page.append("<span id=\"latency\">Latest ").append(latency.count()).append(" calls: ")
                    .append(latency.averageMs()).append(" ms on average, at most ").append(latency.maximumMs())
                    .append(" ms.</span>");
        }
        page.append("</p>\n");

        page.append("<p id=\"grade-poll\">Grade poll: ");
        if (!gradesEnabled) {
            page.append("off (grades.enabled is false).");
        } else {
            Double age = metrics.lastPollAgeSeconds(pollRoutePrefix + Operation.GRADES.key());
            page.append(age == null ? "not run yet since start (grades.cron)." : "last run " + age(age) + ".");
        }
        page.append("</p>\n");
        page.append("<p><a id=\"dead-letter-link\" href=\"dead-letter-queue\">Dead-letter queue</a>: ")
                .append(statistics.openDeadLetters()).append(statistics.openDeadLetters() == 1 ? " open entry." : " open entries.")
                .append("</p>\n");
        page.append("<p id=\"generated\">Shown at ").append(time(Instant.now(clock)))
                .append(", reloads every ").append(refreshSeconds).append(" s. Counts are read every few seconds"
                        + " (ops.refresh-period-ms).</p>\n</body>\n</html>\n");
        return page.toString();
    }

    private static String age(Double seconds) {
        if (seconds == null || seconds.isNaN()) {
            return "not yet";
        }
        long s = Math.round(seconds);
        return s < 120 ? s + " s ago" : Progress.words(java.time.Duration.ofSeconds(s)) + " ago";
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
