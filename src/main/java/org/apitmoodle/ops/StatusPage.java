package org.apitmoodle.ops;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apitmoodle.sync.Operation;
import org.apitmoodle.sync.RemovalGuard;
import org.apitmoodle.sync.SyncPause;

/**
 * The operators' status page (GET /status on the operators' server), for an operator who would rather look than
 * read metrics. What needs attention comes first (paused, removal guard holding, open dead letters, the database or
 * Moodle unreachable); then the Moodle site, per operation what waits and how far a long sync has got, when each
 * scheduled job runs next, and the last 24 hours per hour. It reads only what the scheduled routes and Camel's events
 * keep current: showing it never queries the database or Moodle.
 *
 * <p>The HTML is the template templates/status-page.mustache; this class only works out what it shows. The engine
 * escapes every value, so a reason Moodle wrote is shown as text.
 */
public final class StatusPage {

    /** Where the page's figures come from. */
    public record Sources(SyncStatistics statistics, SyncOutcomes outcomes, OperationsMetrics metrics,
            MoodleCalls moodleCalls, Progress progress, Supplier<SyncPause> pause, RemovalGuard removalGuard,
            MoodleSiteCheck site, Supplier<List<SyncHistory.Hour>> history, ScheduledJobs schedules) {
    }

    /** Settings the page states. */
    public record Options(boolean gradesEnabled, boolean dryRun, long refreshSeconds, String pollRoutePrefix) {
    }

    // What the template shows. Public: the engine reads them by reflection.

    /** A time: readable in the page's zone, exact (to the second, with its zone) on hover. */
    public record Time(String iso, String exact, String readable) {
    }

    public record Link(String href, String label) {
    }

    /** One thing that needs attention; {@code level} is failure (red) or warning (amber). */
    public record Attention(String id, String level, String text, Time since, String detail, Link link) {
    }

    public record Site(String name, String release, String version, Time readAt) {
    }

    public record OperationRow(String key, long backlog, long done, boolean deadLettered, long deadLetteredCount,
            Time lastPoll, String progress, Time nextRun) {
    }

    public record JobRow(String name, String route, String schedule, Time lastRun, Time nextRun) {
    }

    public record Bar(String kind, int x, int y, int width, int height) {
    }

    public record ChartRow(String label, long max, int labelY, int maxY, int left, int right, int baseline,
            List<Bar> bars) {
    }

    public record HourColumn(String label, String title, int x, int width, int height, boolean showLabel, int labelX,
            int labelY) {
    }

    public record Chart(int width, int height, List<ChartRow> rows, List<HourColumn> hours) {
    }

    private static final Mustache TEMPLATE = new DefaultMustacheFactory("templates").compile("status-page.mustache");

    // The chart's geometry, in SVG units (pixels at 100 %).
    private static final int LEFT = 110;
    private static final int COLUMN = 26;
    private static final int ROW = 44;
    private static final int BAR_AREA = 34;
    private static final int LABELS = 16;

    private final Sources sources;
    private final Options options;
    private final Clock clock;
    private final ZoneId zone;

    /** One open drift finding as the page shows it. */
    public record DriftRow(String kind, String title, String subject, String detail, Time foundAt, String action,
            String outcome) {
    }

    /** The drift section: the last reconcile, the open findings per kind and the latest ones. */
    public record DriftView(String lastReconcile, List<KindCount> openByKind, boolean anyOpen, long held,
            List<DriftRow> findings, boolean hasFindings, int listed, boolean listCut) {
    }

    /** Open findings of one kind. */
    public record KindCount(String key, String title, long open) {
    }

    /** What the reconcile found (set once the drift beans exist; none shown before). */
    private volatile java.util.function.Supplier<org.apitmoodle.drift.DriftFindings> drift = () -> null;

    public StatusPage(Sources sources, Options options, Clock clock, ZoneId zone) {
        this.sources = sources;
        this.options = options;
        this.clock = clock;
        this.zone = zone;
    }

    /** Shows what the reconcile found (DriftConfiguration). */
    public void showDrift(java.util.function.Supplier<org.apitmoodle.drift.DriftFindings> findings) {
        this.drift = findings;
    }

    public String render() {
        Instant now = clock.instant();
        SyncPause pause = sources.pause().get();
        boolean paused = pause != null && pause.isPaused();
        Map<String, Object> page = new java.util.HashMap<>();
        page.put("refreshSeconds", options.refreshSeconds());
        page.put("attention", attention(pause, now));
        page.put("paused", paused);
        page.put("dryRun", options.dryRun());
        MoodleSiteCheck.Site site = sources.site().site();
        page.put("site", site == null ? null : new Site(site.name(), orUnknown(site.release()),
                orUnknown(site.version()), time(site.readAt(), now)));
        page.put("inFlight", sources.moodleCalls().inFlight());
        MoodleCalls.Latency latency = sources.moodleCalls().recent();
        page.put("latency", latency.count() == 0 ? "No call made yet." : "Latest " + latency.count() + " calls: "
                + latency.averageMs() + " ms on average, at most " + latency.maximumMs() + " ms.");
        page.put("operations", operations(now));
        page.put("jobs", sources.schedules().at(now).stream().map(job -> new JobRow(job.name(), job.route(),
                job.schedule(), time(job.lastRun(), now), time(job.nextRun(), now))).toList());
        page.put("gradePoll", gradePoll(now));
        page.put("chart", chart(sources.history().get(), pause, now));
        page.put("drift", driftView(now));
        page.put("generated", time(now, now));
        StringWriter html = new StringWriter();
        TEMPLATE.execute(html, page);
        return html.toString();
    }

    private List<Attention> attention(SyncPause pause, Instant now) {
        List<Attention> items = new ArrayList<>();
        if (pause != null && pause.isPaused()) {
            items.add(new Attention("sending", "failure", "Sending is paused", time(pause.since(), now), pause.reason(),
                    null));
        }
        SyncStatistics.DatabaseCheck database = sources.statistics().database();
        if (!database.reachable() && database.checkedAt() != null) {
            items.add(new Attention("database", "failure", "The accessplanit database cannot be queried",
                    time(database.checkedAt(), now), database.error(), null));
        }
        MoodleSiteCheck.Result moodle = sources.site().last();
        if (moodle.state() == MoodleSiteCheck.State.UNREACHABLE || moodle.state() == MoodleSiteCheck.State.REFUSED) {
            items.add(new Attention("moodle-check", "failure", moodle.state() == MoodleSiteCheck.State.REFUSED
                    ? "Moodle refuses the integration" : "Moodle cannot be reached", time(moodle.checkedAt(), now),
                    moodle.errorCode() + (moodle.message() == null ? "" : " (" + moodle.message() + ")"), null));
        }
        RemovalGuard guard = sources.removalGuard();
        if (guard != null && guard.isHolding()) {
            items.add(new Attention("removal-guard", "warning", "The removal guard holds the cancellations back", null,
                    guard.reason(), null));
        }
        long open = sources.statistics().openDeadLetters();
        if (open > 0) {
            items.add(new Attention("dead-letters", "warning", open + (open == 1 ? " open dead-letter entry"
                    : " open dead-letter entries"), null, null, new Link("dead-letter-queue", "Open the dead-letter queue")));
        }
        org.apitmoodle.drift.DriftFindings findings = drift.get();
        if (findings != null && findings.held() > 0) {
            items.add(new Attention("drift-guard", "warning", "The mass-repair guard holds " + findings.held()
                    + " drift repair(s)", null, "more than drift.max-repairs-per-reconcile: check what happened in"
                    + " Moodle, then confirm them (POST /drift/confirm-repairs) or put Moodle right",
                    new Link("#drift", "See the findings")));
        }
        if (findings != null && findings.openTotal() > 0) {
            long drifted = findings.openTotal();
            items.add(new Attention("drift", "warning", drifted + (drifted == 1 ? " drift finding" : " drift findings")
                    + ": Moodle differs from what the integration made there", null, null,
                    new Link("#drift", "See the findings")));
        }
        return items;
    }

    private DriftView driftView(Instant now) {
        org.apitmoodle.drift.DriftFindings findings = drift.get();
        if (findings == null) {
            return null;
        }
        org.apitmoodle.drift.DriftFindings.Reconcile last = findings.last();
        String lastText;
        if (last == null) {
            lastText = "No reconcile has run yet (drift.cron, or POST /drift/reconcile).";
        } else if (last.state().equals("RUNNING")) {
            lastText = "A reconcile is running since " + relative(last.startedAt(), now) + ": " + last.courses()
                    + " course(s) and " + last.accounts() + " account(s) compared so far.";
        } else {
            lastText = "Last reconcile " + relative(last.finishedAt() == null ? last.startedAt() : last.finishedAt(), now)
                    + (last.state().equals("DONE") ? ": " : " stopped before the end (" + last.note() + "): ")
                    + last.accounts() + " account(s), " + last.courses() + " course(s), " + last.enrolments()
                    + " enrolment(s) compared with " + last.moodleCalls() + " Moodle call(s); " + last.findings()
                    + " finding(s).";
        }
        List<KindCount> byKind = new ArrayList<>();
        for (org.apitmoodle.drift.DriftKind kind : org.apitmoodle.drift.DriftKind.values()) {
            long open = findings.open(kind);
            if (open > 0) {
                byKind.add(new KindCount(kind.key(), kind.title(), open));
            }
        }
        List<DriftRow> rows = findings.latest().stream().map(f -> new DriftRow(f.kind(), f.title(), f.subject(),
                f.detail(), time(f.foundAt(), now), f.action(), f.outcome())).toList();
        return new DriftView(lastText, byKind, findings.openTotal() > 0, findings.held(), rows, !rows.isEmpty(),
                rows.size(), rows.size() < findings.openTotal());
    }

    private List<OperationRow> operations(Instant now) {
        Map<String, Progress.Line> running = sources.progress().lines().stream()
                .collect(Collectors.toMap(Progress.Line::operation, Function.identity()));
        ScheduledJobs.Job gradePoll = options.gradesEnabled()
                ? sources.schedules().of(options.pollRoutePrefix() + Operation.GRADES.key(), now) : null;
        List<OperationRow> rows = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            String key = operation.key();
            long backlog = sources.statistics().backlog(key);
            long deadLettered = sources.statistics().openDeadLetters(key);
            Progress.Line line = running.get(key);
            String progress = line == null ? "" : line.sentence().substring(key.length() + 2);
            if (line == null && backlog > 0 && operation != Operation.GRADES) {
                progress = "counting (read every ops.refresh-period-ms)";
            }
            // The grade poll's delegates wait for its schedule, not for a slow sync.
            Time next = operation == Operation.GRADES && backlog > 0 && gradePoll != null
                    ? time(gradePoll.nextRun(), now) : null;
            rows.add(new OperationRow(key, backlog, sources.outcomes().synced(key), deadLettered > 0, deadLettered,
                    time(sources.metrics().lastPoll(options.pollRoutePrefix() + key), now), progress, next));
        }
        return rows;
    }

    private String gradePoll(Instant now) {
        if (!options.gradesEnabled()) {
            return "Grade poll: off (grades.enabled is false).";
        }
        Instant last = sources.metrics().lastPoll(options.pollRoutePrefix() + Operation.GRADES.key());
        return last == null ? "Grade poll: not run yet since start (grades.cron)."
                : "Grade poll: last run " + relative(last, now) + ".";
    }

    /** Three rows of 24 bars (synced, dead-lettered, minutes paused), each scaled to its own largest hour. */
    private Chart chart(List<SyncHistory.Hour> hours, SyncPause pause, Instant now) {
        if (hours.isEmpty()) {
            return null;
        }
        int count = hours.size();
        long[] synced = new long[count];
        long[] deadLettered = new long[count];
        long[] pausedMinutes = new long[count];
        for (int i = 0; i < count; i++) {
            SyncHistory.Hour hour = hours.get(i);
            synced[i] = hour.synced();
            deadLettered[i] = hour.deadLettered();
            long seconds = hour.pausedSeconds() + runningPause(pause, hour.start(), now);
            pausedMinutes[i] = Math.min(60, (seconds + 59) / 60);
        }
        int right = LEFT + count * COLUMN;
        List<ChartRow> rows = List.of(
                row("synced", "Synced", synced, 0, right),
                row("dead-lettered", "Dead-lettered", deadLettered, 1, right),
                row("paused", "Paused (min)", pausedMinutes, 2, right));
        int height = 3 * ROW + LABELS;
        List<HourColumn> columns = new ArrayList<>(count);
        DateTimeFormatter hourFormat = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
        for (int i = 0; i < count; i++) {
            Instant start = hours.get(i).start();
            String label = hourFormat.format(start);
            String title = label + "–" + hourFormat.format(start.plus(1, ChronoUnit.HOURS)) + ": " + synced[i]
                    + " synced, " + deadLettered[i] + " dead-lettered, " + pausedMinutes[i] + " min paused";
            int x = LEFT + i * COLUMN;
            columns.add(new HourColumn(label, title, x, COLUMN, height, (count - 1 - i) % 3 == 0, x + COLUMN / 2,
                    height - 3));
        }
        return new Chart(right + 4, height, rows, columns);
    }

    private static ChartRow row(String kind, String label, long[] values, int index, int right) {
        long max = 0;
        for (long value : values) {
            max = Math.max(max, value);
        }
        int top = index * ROW;
        int baseline = top + 4 + BAR_AREA;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0) {
                // At least 2 px, so a single record still shows.
                int height = (int) Math.max(2, Math.round((double) values[i] / max * BAR_AREA));
                bars.add(new Bar(kind, LEFT + i * COLUMN + 3, baseline - height, COLUMN - 6, height));
            }
        }
        return new ChartRow(label, max, top + 18, top + 32, LEFT, right, baseline, bars);
    }

    /** Seconds of the pause still running in the hour starting at {@code hour}: it is noted only when it ends. */
    private static long runningPause(SyncPause pause, Instant hour, Instant now) {
        if (pause == null || !pause.isPaused() || pause.since() == null) {
            return 0;
        }
        Instant end = hour.plus(1, ChronoUnit.HOURS);
        Instant from = pause.since().isAfter(hour) ? pause.since() : hour;
        Instant to = now.isBefore(end) ? now : end;
        return to.isAfter(from) ? Duration.between(from, to).toSeconds() : 0;
    }

    private Time time(Instant instant, Instant now) {
        if (instant == null) {
            return null;
        }
        ZonedDateTime at = instant.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
        boolean today = at.toLocalDate().equals(LocalDate.ofInstant(now, zone));
        String clockTime = at.format(DateTimeFormatter.ofPattern(today ? "HH:mm" : "d MMM HH:mm", Locale.ROOT));
        return new Time(instant.truncatedTo(ChronoUnit.SECONDS).toString(),
                at.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT)),
                clockTime + " (" + relative(instant, now) + ")");
    }

    /** "12 s ago", "4 min 31 s ago", "in 9 min 0 s", "now". */
    static String relative(Instant instant, Instant now) {
        long seconds = Duration.between(instant, now).toSeconds();
        if (seconds == 0) {
            return "now";
        }
        String words = Progress.words(Duration.ofSeconds(Math.abs(seconds)));
        return seconds > 0 ? words + " ago" : "in " + words;
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "not said" : value;
    }
}
