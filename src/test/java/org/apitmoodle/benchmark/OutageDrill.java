package org.apitmoodle.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.TestDatabase;
import org.apitmoodle.sync.SyncPause;

/**
 * The outage drill of issue 10 (see README, "The outage drill"): Moodle down for {@code drill.outage-minutes}
 * (default 10) in the middle of a first sync of about {@code drill.records} records (default 5,000: courses, users
 * and enrolments, no bad data), with the settings of application.properties. Moodle goes down when a third of the
 * records are DONE and comes back after the outage; the drill counts the Moodle calls the integration attempted
 * while sending was paused (from the integration's side: a Moodle that is down records nothing) and the rows it
 * wrote to its tables meanwhile (every table of the integration's schema and of accessplanit carries a trigger that
 * notes each row written, with the time), then how long sending took to resume, and whether every record ended in
 * Moodle once. Prints the figures and PASS or FAIL per goal; exits with 1 when one is not met.
 *
 * <p>Not a test: it takes the outage and then some. Run it with
 * {@code mvn -q -Poutage-drill -DskipTests test-compile exec:exec} (add {@code -Ddrill.outage-minutes=0.5
 * -Ddrill.records=600} for a short one).
 */
public final class OutageDrill {

    private static final String TOKEN = "drill-token-0123456789abcdef0123";
    /** The emulator's "Accessplanit courses" category and its student role. */
    private static final String CATEGORY = "2";
    private static final String STUDENT_ROLE = "5";
    private static final String[] KINDS = {"course", "user", "enrolment"};
    /** Calls already on their way when the pause began are not the pause's. */
    private static final long SETTLE_MS = 1000;
    /**
     * Tables the instance writes whether or not it sends: its heartbeat (sync_instance) and Quartz's own (qrtz_*:
     * the cluster check-in, and the grade poll's trigger when it fires; the poll itself does not run while paused).
     */
    private static boolean bookkeeping(String table) {
        String name = table.substring(table.indexOf('.') + 1);
        return name.equals("sync_instance") || name.startsWith("qrtz_");
    }

    private OutageDrill() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("drill.records", 5000);
        double outageMinutes = Double.parseDouble(System.getProperty("drill.outage-minutes", "10"));
        String databaseName = System.getProperty("drill.db-name", "apit_drill");
        String probeSetting = System.getProperty("drill.probe-period-ms", "");
        LatencyModel model = switch (System.getProperty("drill.model", "2")) {
            case "2" -> LatencyModel.TWO_CORES;
            case "8" -> LatencyModel.EIGHT_CORES;
            case "none" -> LatencyModel.NONE;
            default -> throw new IllegalArgumentException("drill.model: 2, 8 or none");
        };
        // A booking is a user and an enrolment, and every 50 bookings a course: 2.02 records a booking.
        BenchmarkBookings bookings = BenchmarkBookings.clean(Math.max(1, (int) Math.round(records / 2.02)));
        long expected = bookings.courses + 2L * bookings.bookings;
        long outageMillis = Math.round(outageMinutes * 60_000);

        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, TOKEN)) {
            moodle.setLatencyModel(model);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            // The emulator speaks plain HTTP on this machine.
            settings.put("moodle.allow-insecure-http", "true");
            settings.put("moodle.token", TOKEN);
            settings.put("moodle.category-id", CATEGORY);
            settings.put("moodle.role-id", STUDENT_ROLE);
            // Not 9090: another program on this machine may have it.
            settings.put("management.port", Integer.toString(freePort()));
            if (!probeSetting.isBlank()) {
                settings.put("sync.pause-probe-period-ms", probeSetting);
            }
            MoodleCallAttempts attempts = new MoodleCallAttempts();
            try (RunningSync sync = RunningSync.start(settings, Map.of("moodleCallAttempts", attempts))) {
                CamelContext context = sync.main().getCamelContext();
                SyncPause pause = context.getRegistry().lookupByNameAndType("syncPause", SyncPause.class);
                long probeMs = Long.parseLong(context.resolvePropertyPlaceholders("{{sync.pause-probe-period-ms}}"));
                printSetUp(records, bookings, expected, outageMillis, model, probeMs, probeSetting.isBlank(),
                        databaseName);
                noteEveryWrite(database);

                bookings.insert(database.queryUrl());
                long committedAt = System.nanoTime();
                Progress atOutage = awaitProgress(database, committedAt, "a third of the records DONE",
                        Duration.ofMinutes(30), p -> p.done() * 3 >= expected);
                if (atOutage == null) {
                    throw new IllegalStateException("a third of the records were not DONE after 30 minutes");
                }

                PauseWatch watch = PauseWatch.start(pause);
                long downAt = System.currentTimeMillis();
                long downNanos = System.nanoTime();
                moodle.goDown();
                System.out.printf(Locale.ROOT, "  %4d s: Moodle down (%,d of %,d records DONE)%n",
                        seconds(committedAt), atOutage.done(), expected);
                sleepUntil(() -> pause.isPaused(), downNanos + outageMillis * 1_000_000);
                Instant since = pause.since();
                long pausedAt = since == null ? -1 : since.toEpochMilli();
                if (pausedAt >= 0) {
                    System.out.printf(Locale.ROOT, "  %4d s: sending paused %.1f s after Moodle went down: %s%n",
                            seconds(committedAt), (pausedAt - downAt) / 1000.0, pause.reason());
                }
                sleepUntil(() -> false, downNanos + outageMillis * 1_000_000);
                moodle.comeUp();
                long upAt = System.currentTimeMillis();
                long upNanos = System.nanoTime();
                int callsBeforeUp = moodle.calls().size();
                System.out.printf(Locale.ROOT, "  %4d s: Moodle up again after %.1f min%n", seconds(committedAt),
                        (upAt - downAt) / 60_000.0);

                long resumeMs = -1;
                long firstSyncCallMs = -1;
                long waitUntil = upNanos + Duration.ofMillis(3 * probeMs + 60_000).toNanos();
                while (System.nanoTime() < waitUntil && (resumeMs < 0 || firstSyncCallMs < 0)) {
                    if (resumeMs < 0 && pause.isRunning()) {
                        resumeMs = (System.nanoTime() - upNanos) / 1_000_000;
                    }
                    if (firstSyncCallMs < 0 && firstSyncCallSince(moodle, callsBeforeUp)) {
                        firstSyncCallMs = (System.nanoTime() - upNanos) / 1_000_000;
                    }
                    Thread.sleep(10);
                }
                watch.stop();
                System.out.printf(Locale.ROOT, "  %4d s: sending resumed %s after Moodle came back%n",
                        seconds(committedAt), resumeMs < 0 ? "NOT" : String.format(Locale.ROOT, "%.1f s",
                                resumeMs / 1000.0));

                Progress end = awaitProgress(database, committedAt, "every record DONE or dead-lettered",
                        Duration.ofMinutes(60), p -> p.done() + p.failed() >= expected && p.inProgress() == 0
                                && p.waiting() == 0);
                long wallMillis = (System.nanoTime() - committedAt) / 1_000_000;
                if (end == null) {
                    end = Progress.read(database);
                }

                Figures figures = new Figures(expected, end, atOutage, downAt, pausedAt, upAt, probeMs, resumeMs,
                        firstSyncCallMs, wallMillis, watch.transitionsBetween(downAt, upAt),
                        pausedAt < 0 ? Map.of() : attempts.between(pausedAt + SETTLE_MS, upAt),
                        pausedAt < 0 ? List.of() : attempts.timesBetween(pausedAt + SETTLE_MS, upAt),
                        attempts.between(downAt, pausedAt < 0 ? upAt : pausedAt).values().stream()
                                .mapToInt(Integer::intValue).sum(),
                        pausedAt < 0 ? List.of() : writes(database, pausedAt, upAt),
                        Moodle.of(moodle, database, bookings));
                boolean allMet = print(figures, bookings);
                System.out.printf(Locale.ROOT, "%s%n", allMet ? "ALL GOALS MET" : "SOME GOALS NOT MET");
                System.out.flush();
                System.exit(allMet ? 0 : 1);
            }
        }
    }

    private static void printSetUp(int records, BenchmarkBookings bookings, long expected, long outageMillis,
                                   LatencyModel model, long probeMs, boolean probeShipped, String database) {
        System.out.printf(Locale.ROOT, "Outage drill (issue 10), started %s%n", Instant.now());
        System.out.printf(Locale.ROOT, "  data: %,d records asked, %,d made: %,d classroom courses, %,d new users,"
                + " %,d enrolments (%,d bookings, %d a course), no bad data%n", records, expected, bookings.courses,
                bookings.bookings, bookings.bookings, bookings.bookings, BenchmarkBookings.DELEGATES_PER_COURSE);
        System.out.printf(Locale.ROOT, "  Moodle: the emulator, latency model \"%s\"; down (connections refused) for"
                + " %.1f min once a third of the records are DONE%n", model.name(), outageMillis / 60_000.0);
        System.out.printf(Locale.ROOT, "  settings: application.properties, but for the emulator's URL, token,"
                + " category and role, plain HTTP, a free management port; sync.pause-probe-period-ms=%d (%s)%n",
                probeMs, probeShipped ? "as shipped" : "drill.probe-period-ms");
        System.out.printf(Locale.ROOT, "  database %s, made afresh; every row written to a table of apit_sync or"
                + " public is noted by a trigger (schema drill)%n", database);
        System.out.printf(Locale.ROOT, "  JVM: Java %s, %d processors, max heap %d MiB%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.flush();
    }

    /** Every row written to a table of the integration or of accessplanit, with the time and whether it releases a claim. */
    private static void noteEveryWrite(TestDatabase database) {
        database.update("CREATE SCHEMA drill");
        database.update("""
                CREATE TABLE drill.write_log (
                    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
                    table_name  text        NOT NULL,
                    op          text        NOT NULL,
                    release     boolean     NOT NULL)""");
        // release-claims.sql: the claim no longer names the instance, the record stays IN_PROGRESS.
        database.update("""
                CREATE FUNCTION drill.note_write() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    released boolean := false;
                BEGIN
                    IF TG_TABLE_NAME = 'sync_state' AND TG_OP = 'UPDATE' THEN
                        released := OLD.claimed_by IS NOT NULL AND NEW.claimed_by IS NULL
                                    AND NEW.state = 'IN_PROGRESS';
                    END IF;
                    INSERT INTO drill.write_log (table_name, op, release)
                    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, released);
                    RETURN NULL;
                END $$""");
        database.update("""
                DO $$
                DECLARE
                    t record;
                BEGIN
                    FOR t IN SELECT schemaname, tablename FROM pg_tables
                             WHERE schemaname IN ('apit_sync', 'public') LOOP
                        EXECUTE format('CREATE TRIGGER drill_note_write AFTER INSERT OR UPDATE OR DELETE ON %I.%I'
                                       ' FOR EACH ROW EXECUTE FUNCTION drill.note_write()', t.schemaname, t.tablename);
                    END LOOP;
                END $$""");
    }

    /** One kind of row written in a window: the table, the operation, whether it released a claim, how many, when. */
    private record Writes(String table, String op, boolean release, long rows, long firstMillis, long lastMillis) {

        boolean bookkeeping() {
            return OutageDrill.bookkeeping(table);
        }
    }

    private static List<Writes> writes(TestDatabase database, long fromMillis, long untilMillis) {
        List<Writes> writes = new ArrayList<>();
        for (var row : database.rows("""
                SELECT table_name, op, release, count(*) AS n,
                       CAST(floor(extract(epoch FROM min(at)) * 1000) AS bigint) AS first_ms,
                       CAST(floor(extract(epoch FROM max(at)) * 1000) AS bigint) AS last_ms
                FROM drill.write_log
                WHERE at >= to_timestamp(? / 1000.0) AND at < to_timestamp(? / 1000.0)
                GROUP BY table_name, op, release
                ORDER BY table_name, op, release""", fromMillis, untilMillis)) {
            writes.add(new Writes((String) row.get("table_name"), (String) row.get("op"), (Boolean) row.get("release"),
                    ((Number) row.get("n")).longValue(), ((Number) row.get("first_ms")).longValue(),
                    ((Number) row.get("last_ms")).longValue()));
        }
        return writes;
    }

    /** Where the sync stands: the records of the three kinds DONE and FAILED, claims in progress, the backlog. */
    private record Progress(long done, long failed, long inProgress, long deadLetters, long waiting,
                            long claimedAgain, Map<String, Long> doneByKind) {

        static Progress read(TestDatabase database) {
            var row = database.rows("""
                    SELECT count(*) FILTER (WHERE state = 'DONE' AND entity_type = 'course')    AS course,
                           count(*) FILTER (WHERE state = 'DONE' AND entity_type = 'user')      AS user,
                           count(*) FILTER (WHERE state = 'DONE' AND entity_type = 'enrolment') AS enrolment,
                           count(*) FILTER (WHERE state = 'FAILED')                             AS failed,
                           count(*) FILTER (WHERE state = 'IN_PROGRESS')                        AS in_progress,
                           count(*) FILTER (WHERE attempts > 1)                                 AS claimed_again,
                           (SELECT count(*) FROM dead_letter)                                   AS dead_letters,
                           (SELECT count(*) FROM waiting WHERE entity_type <> 'grades')         AS waiting
                    FROM sync_state""").get(0);
            Map<String, Long> doneByKind = new LinkedHashMap<>();
            long done = 0;
            for (String kind : KINDS) {
                long n = ((Number) row.get(kind)).longValue();
                doneByKind.put(kind, n);
                done += n;
            }
            return new Progress(done, number(row, "failed"), number(row, "in_progress"), number(row, "dead_letters"),
                    number(row, "waiting"), number(row, "claimed_again"), doneByKind);
        }

        private static long number(Map<String, Object> row, String column) {
            return ((Number) row.get(column)).longValue();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "DONE %s, failed %d, in progress %d, waiting %d, dead letters %d",
                    doneByKind, failed, inProgress, waiting, deadLetters);
        }
    }

    /**
     * Polls the sync's progress every 100 ms until {@code reached}, printing it each minute. Null when it was not
     * reached within {@code atMost}, or when nothing moved for 10 minutes.
     */
    private static Progress awaitProgress(TestDatabase database, long committedAt, String what, Duration atMost,
                                          java.util.function.Predicate<Progress> reached) throws InterruptedException {
        long until = System.nanoTime() + atMost.toNanos();
        long lastReport = System.nanoTime();
        long lastMove = System.nanoTime();
        Progress last = null;
        while (System.nanoTime() < until) {
            Progress now = Progress.read(database);
            if (reached.test(now)) {
                return now;
            }
            if (last == null || now.done() != last.done() || now.failed() != last.failed()
                    || now.waiting() != last.waiting()) {
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > Duration.ofMinutes(10).toNanos()) {
                System.out.printf(Locale.ROOT, "  %4d s: nothing moved for 10 minutes, waiting for %s: %s%n",
                        seconds(committedAt), what, now);
                return null;
            }
            last = now;
            if (System.nanoTime() - lastReport > Duration.ofMinutes(1).toNanos()) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  %4d s: %s%n", seconds(committedAt), now);
                System.out.flush();
            }
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "  %4d s: not reached within %d min: %s%n", seconds(committedAt),
                atMost.toMinutes(), what);
        return null;
    }

    /** Whether Moodle received a call of the sync (not the probe's site info) after the first {@code before}. */
    private static boolean firstSyncCallSince(MoodleEmulator moodle, int before) {
        List<RecordedCall> calls = moodle.calls();
        for (int i = before; i < calls.size(); i++) {
            if (!calls.get(i).wsfunction().equals("core_webservice_get_site_info")) {
                return true;
            }
        }
        return false;
    }

    /** What Moodle holds of the drill's records: how many are missing, how many twice. */
    private record Moodle(long usersMissing, long coursesMissing, long enrolmentsMissing, long duplicateUsernames,
                          long duplicateUserIdnumbers, long duplicateShortnames, long duplicateCourseIdnumbers,
                          long duplicateEnrolments, long users, long courses, long enrolments) {

        long missing() {
            return usersMissing + coursesMissing + enrolmentsMissing;
        }

        long duplicates() {
            return duplicateUsernames + duplicateUserIdnumbers + duplicateShortnames + duplicateCourseIdnumbers
                    + duplicateEnrolments;
        }

        /** As SyncTestSupport.assertNothingLostAndNothingTwice: both sides, every DONE record looked up in Moodle. */
        static Moodle of(MoodleEmulator moodle, TestDatabase database, BenchmarkBookings bookings) {
            var site = moodle.site();
            long usersMissing = database.rows("SELECT u.moodle_id FROM users u").stream()
                    .filter(row -> row.get("moodle_id") == null
                            || site.userById(((Number) row.get("moodle_id")).longValue()).isEmpty()).count();
            long coursesMissing = database.rows("SELECT c.moodle_id FROM courses c").stream()
                    .filter(row -> row.get("moodle_id") == null
                            || site.courseById(((Number) row.get("moodle_id")).longValue()).isEmpty()).count();
            long enrolmentsMissing = database.rows("""
                    SELECT u.moodle_id AS user_id, c.moodle_id AS course_id
                    FROM delegates d JOIN users u ON u.id = d.user_id JOIN courses c ON c.id = d.course_id""")
                    .stream().filter(row -> row.get("user_id") == null || row.get("course_id") == null
                            || !site.isEnrolled(((Number) row.get("user_id")).longValue(),
                            ((Number) row.get("course_id")).longValue())).count();
            return new Moodle(usersMissing, coursesMissing, enrolmentsMissing,
                    twice(site.users(), u -> u.username()),
                    twice(site.users().stream().filter(u -> u.idnumber() != null && !u.idnumber().isEmpty())
                            .toList(), u -> u.idnumber()),
                    twice(site.courses(), c -> c.shortname()),
                    twice(site.courses().stream().filter(c -> c.idnumber() != null && !c.idnumber().isEmpty())
                            .toList(), c -> c.idnumber()),
                    twice(site.enrolments(), e -> e.userId() + "/" + e.courseId()),
                    site.users().stream().filter(u -> u.username().startsWith("apit.")).count(),
                    site.courses().stream().filter(c -> c.idnumber() != null && c.idnumber().startsWith("APIT-C-"))
                            .count(),
                    site.enrolments().size());
        }

        private static <T> long twice(List<T> items, Function<T, String> key) {
            return items.size() - items.stream().map(key).distinct().count();
        }
    }

    private record Figures(long expected, Progress end, Progress atOutage, long downAt, long pausedAt, long upAt,
                           long probeMs, long resumeMs, long firstSyncCallMs, long wallMillis,
                           List<String> pauseTransitions, Map<String, Integer> callsWhilePaused,
                           List<Long> callTimesWhilePaused, int callsBeforePause, List<Writes> writesWhilePaused,
                           Moodle moodle) {
    }

    private static boolean print(Figures f, BenchmarkBookings bookings) {
        boolean paused = f.pausedAt() >= 0;
        long pausedMillis = paused ? f.upAt() - f.pausedAt() - SETTLE_MS : 0;
        long calls = f.callsWhilePaused().values().stream().mapToLong(Integer::longValue).sum();
        long allowedCalls = pausedMillis / f.probeMs() + 1;
        long released = f.writesWhilePaused().stream().filter(Writes::release).mapToLong(Writes::rows).sum();
        long lastRelease = f.writesWhilePaused().stream().filter(Writes::release).mapToLong(Writes::lastMillis)
                .max().orElse(f.pausedAt());
        List<Writes> afterRelease = f.writesWhilePaused().stream().filter(w -> !w.release()).toList();
        long otherWrites = afterRelease.stream().filter(w -> !w.bookkeeping()).mapToLong(Writes::rows).sum();
        long bookkeepingWrites = afterRelease.stream().filter(Writes::bookkeeping).mapToLong(Writes::rows).sum();

        System.out.printf(Locale.ROOT, "%nFigures%n");
        System.out.printf(Locale.ROOT, "  records                         %,10d   (%,d courses + %,d users + %,d enrolments)%n",
                f.expected(), bookings.courses, bookings.bookings, bookings.bookings);
        System.out.printf(Locale.ROOT, "  DONE when Moodle went down      %,10d%n", f.atOutage().done());
        System.out.printf(Locale.ROOT, "  synced (DONE)                   %,10d   %s%n", f.end().done(), f.end().doneByKind());
        System.out.printf(Locale.ROOT, "  dead-lettered                   %,10d   (FAILED in sync_state: %d)%n",
                f.end().deadLetters(), f.end().failed());
        System.out.printf(Locale.ROOT, "  still in progress / waiting     %,10d / %,d%n", f.end().inProgress(), f.end().waiting());
        System.out.printf(Locale.ROOT, "  records claimed more than once  %,10d   (attempts > 1: released in the pause,"
                + " then claimed again)%n", f.end().claimedAgain());
        System.out.printf(Locale.ROOT, "  missing in Moodle               %,10d   (Moodle holds %,d apit. users, %,d APIT-"
                + " courses, %,d enrolments)%n", f.moodle().missing(), f.moodle().users(), f.moodle().courses(),
                f.moodle().enrolments());
        System.out.printf(Locale.ROOT, "  duplicates in Moodle            %,10d   (usernames %d, user ID numbers %d, course"
                        + " shortnames %d, course ID numbers %d, user+course enrolments %d)%n", f.moodle().duplicates(),
                f.moodle().duplicateUsernames(), f.moodle().duplicateUserIdnumbers(), f.moodle().duplicateShortnames(),
                f.moodle().duplicateCourseIdnumbers(), f.moodle().duplicateEnrolments());
        System.out.printf(Locale.ROOT, "  outage                          %10.1f min%n", (f.upAt() - f.downAt()) / 60_000.0);
        System.out.printf(Locale.ROOT, "  pause began after               %10s   (retries with back-off first; %d calls"
                + " attempted meanwhile)%n", paused ? String.format(Locale.ROOT, "%.1f s", (f.pausedAt() - f.downAt())
                / 1000.0) : "NEVER", f.callsBeforePause());
        System.out.printf(Locale.ROOT, "  pause state changes while down  %s%n", f.pauseTransitions());
        System.out.printf(Locale.ROOT, "  probe period                    %,10d ms%n", f.probeMs());
        System.out.printf(Locale.ROOT, "  paused (from %d s after the pause began until Moodle came back) %,.1f s%n",
                SETTLE_MS / 1000, pausedMillis / 1000.0);
        System.out.printf(Locale.ROOT, "  Moodle calls attempted meanwhile %,9d   %s; allowed: one per probe period + 1"
                + " = %d%n", calls, f.callsWhilePaused(), allowedCalls);
        System.out.printf(Locale.ROOT, "    gaps between them             %s%n", gaps(f.callTimesWhilePaused()));
        System.out.printf(Locale.ROOT, "  the release                     %,10d   claims released (sync_state), the last"
                + " %.1f s after the pause began%n", released, (lastRelease - f.pausedAt()) / 1000.0);
        System.out.printf(Locale.ROOT, "  rows written while paused, beyond the release: %,d to the records' tables; %,d"
                + " to sync_instance and qrtz_* (the instance's heartbeat and Quartz's own, written whether or not it"
                + " sends)%n", otherWrites, bookkeepingWrites);
        for (Writes w : afterRelease) {
            System.out.printf(Locale.ROOT, "    %-34s %-6s %,6d rows%n", w.table(), w.op(), w.rows());
        }
        System.out.printf(Locale.ROOT, "  sending resumed after           %10s   (from Moodle's return until the pause was"
                + " lifted)%n", f.resumeMs() < 0 ? "NEVER" : String.format(Locale.ROOT, "%.1f s", f.resumeMs() / 1000.0));
        System.out.printf(Locale.ROOT, "  first sync call in Moodle after %10s   (the next poll claims the released"
                + " records: sync.poll-period-ms)%n", f.firstSyncCallMs() < 0 ? "NEVER"
                : String.format(Locale.ROOT, "%.1f s", f.firstSyncCallMs() / 1000.0));
        System.out.printf(Locale.ROOT, "  wall time                       %10.1f min (from the bookings committed until"
                + " every record was DONE or dead-lettered)%n%n", f.wallMillis() / 60_000.0);

        List<Boolean> verdicts = new ArrayList<>();
        verdicts.add(goal(f.end().done() == f.expected() && f.end().inProgress() == 0 && f.end().waiting() == 0
                        && f.moodle().missing() == 0, String.format(Locale.ROOT,
                "every record synced: %,d of %,d DONE, %,d missing in Moodle", f.end().done(), f.expected(),
                f.moodle().missing())));
        verdicts.add(goal(f.end().deadLetters() == 0 && f.end().failed() == 0,
                String.format(Locale.ROOT, "0 dead-lettered: %,d", f.end().deadLetters())));
        verdicts.add(goal(f.moodle().duplicates() == 0,
                String.format(Locale.ROOT, "0 duplicates in Moodle: %,d", f.moodle().duplicates())));
        verdicts.add(goal(paused && f.resumeMs() >= 0 && f.resumeMs() <= f.probeMs() + 1000, String.format(Locale.ROOT,
                "sending resumed within one probe period (%,d ms, + 1 s for the probe's call) of Moodle's return: %s",
                f.probeMs(), !paused ? "sending never paused" : f.resumeMs() < 0 ? "never" : f.resumeMs() + " ms")));
        verdicts.add(goal(paused && f.pauseTransitions().size() == 1 && calls <= allowedCalls,
                String.format(Locale.ROOT, "while paused, at most one Moodle call per probe period: %d calls in %.1f s"
                        + " (allowed %d); paused once, never resumed while Moodle was down", calls,
                        pausedMillis / 1000.0, allowedCalls)));
        verdicts.add(goal(paused && otherWrites == 0, String.format(Locale.ROOT, "while paused, nothing written to the"
                + " records' tables beyond the release: %,d rows (besides the heartbeat and Quartz's own tables)",
                otherWrites)));
        return !verdicts.contains(false);
    }

    private static String gaps(List<Long> times) {
        if (times.size() < 2) {
            return "-";
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            min = Math.min(min, gap);
            max = Math.max(max, gap);
        }
        return String.format(Locale.ROOT, "%.1f s to %.1f s", min / 1000.0, max / 1000.0);
    }

    private static boolean goal(boolean met, String description) {
        System.out.printf(Locale.ROOT, "  %s  %s%n", met ? "PASS" : "FAIL", description);
        return met;
    }

    /** Sleeps until {@code done} holds or the deadline (System.nanoTime) passes. */
    private static void sleepUntil(java.util.function.BooleanSupplier done, long deadline) throws InterruptedException {
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(Math.max(1, Math.min(10, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** The pause's state sampled every 10 ms: each change, with its time. */
    private static final class PauseWatch {

        private record Change(long atMillis, boolean paused) {
        }

        private final List<Change> changes = new ArrayList<>();
        private final Thread sampler;
        private volatile boolean running = true;

        private PauseWatch(SyncPause pause) {
            sampler = new Thread(() -> {
                boolean last = pause.isPaused();
                while (running) {
                    boolean now = pause.isPaused();
                    if (now != last) {
                        synchronized (changes) {
                            changes.add(new Change(System.currentTimeMillis(), now));
                        }
                        last = now;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pause-watch");
            sampler.setDaemon(true);
        }

        static PauseWatch start(SyncPause pause) {
            PauseWatch watch = new PauseWatch(pause);
            watch.sampler.start();
            return watch;
        }

        void stop() {
            running = false;
        }

        /** The changes in the window, e.g. ["paused at +31.2 s"], the times from its start. */
        List<String> transitionsBetween(long fromMillis, long untilMillis) {
            synchronized (changes) {
                return changes.stream().filter(c -> c.atMillis() >= fromMillis && c.atMillis() < untilMillis)
                        .map(c -> String.format(Locale.ROOT, "%s at +%.1f s", c.paused() ? "paused" : "resumed",
                                (c.atMillis() - fromMillis) / 1000.0)).toList();
            }
        }
    }
}
