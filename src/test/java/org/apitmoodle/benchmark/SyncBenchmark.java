package org.apitmoodle.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.support.TestDatabase;
import org.apitmoodle.sync.MoodleCallShares;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The throughput benchmark (see README, "Benchmark"). For each latency model of the emulator (issue 12: "2 cores,
 * 4 workers" and "8 cores, 16 workers", calibrated per function from the recording Moodle), syncs
 * {@code benchmark.bookings} bookings (default 10,000: as many new users over bookings / 50 classroom courses, 1%
 * of the users bad data) with a fixed number of calls in flight (benchmark.fixed, default 1, 2, 4, 8, 16) and with
 * the adaptive calls in flight (up to 16, not told the model), each on a fresh database and a fresh emulator. Then
 * the grade poll over benchmark.grade-delegates open delegates (default 10,000 and 1,000,000, generated in SQL).
 * Prints the figures of each run and whether the goals are met; exits with 1 when one is not.
 *
 * <p>Not a test: it takes hours at the default size. Run it with
 * {@code mvn -q -Pbenchmark -DskipTests test-compile exec:exec} (add {@code -Dbenchmark.bookings=1000} for a
 * shorter one).
 */
public final class SyncBenchmark {

    private static final String TOKEN = "benchmark-token-0123456789abcdef";
    /** The emulator's "Accessplanit courses" category and its student role. */
    private static final String CATEGORY = "2";
    private static final String STUDENT_ROLE = "5";
    /** Short, so Moodle does not sit idle waiting for the next poll: the same in every run. */
    private static final String POLL_PERIOD_MS = "500";
    private static final long MIB = 1024 * 1024;
    /** The adaptive runs' maximum calls in flight: application.properties' default. */
    private static final int ADAPTIVE_MAXIMUM = 16;

    private static final String[] FUNCTIONS = {"core_course_get_courses_by_field", "core_course_create_courses",
        "core_user_get_users_by_field", "core_user_create_users", "enrol_manual_enrol_users"};

    /** One way of running the sync, and what it showed. */
    private record Run(String key, String title, LatencyModel model, Map<String, String> settings) {
    }

    private record Figures(Run run, boolean completed, String unfinished, long wallMillis, long startMillis,
                           Map<String, Integer> calls, long modelledMillis, int mostCallsInFlight,
                           long peakHeapSampled, long peakHeapPools, long moodleBusyMillis, long moodleCallMillis,
                           long sqlMillis, long sqlStatements, long recordsSynced, long deadLettered, long claimedAgain,
                           boolean moodleHoldsExactlyTheGoodRecords, int turnedAway, int highestLimit,
                           int lastLimit) {

        long totalCalls() {
            return calls.values().stream().mapToLong(Integer::longValue).sum();
        }

        double wallToModelled() {
            return (double) wallMillis / modelledMillis;
        }
    }

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkBookings bookings = new BenchmarkBookings(Integer.getInteger("benchmark.bookings", 10_000));
        String database = System.getProperty("benchmark.db-name", "apit_bench");
        List<LatencyModel> models = new ArrayList<>();
        for (String cores : System.getProperty("benchmark.models", "2,8").split("\\s*,\\s*")) {
            if (cores.equals("2")) {
                models.add(LatencyModel.TWO_CORES);
            } else if (cores.equals("8")) {
                models.add(LatencyModel.EIGHT_CORES);
            } else if (!cores.isEmpty()) {
                throw new IllegalArgumentException("benchmark.models: 2 or 8, not " + cores);
            }
        }
        List<Integer> fixed = numbers(System.getProperty("benchmark.fixed", "1,2,4,8,16"));
        List<Long> gradeDelegates = numbers(System.getProperty("benchmark.grade-delegates", "10000,1000000"))
                .stream().map(Integer::longValue).toList();

        printSetUp(bookings, database, models);
        List<Boolean> verdicts = new ArrayList<>();
        int templateDates = Integer.getInteger("benchmark.template-dates", 20);
        boolean syncRuns = Boolean.parseBoolean(System.getProperty("benchmark.sync-runs", "true"));
        for (LatencyModel model : models) {
            // Course dates alone, empty or copied from a template course: what a copy costs on a first sync.
            if (templateDates > 0) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("moodle.allow-insecure-http", "true");
                settings.put("moodle.token", TOKEN);
                settings.put("moodle.category-id", CATEGORY);
                settings.put("moodle.role-id", STUDENT_ROLE);
                settings.put("sync.poll-period-ms", POLL_PERIOD_MS);
                settings.put("grades.cron", "0 0 0 1 1 ? 2099");
                new TemplateCopies(templateDates, numbers(System.getProperty("benchmark.copy-calls-in-flight", "1,4")))
                        .runBoth(model, database, TOKEN, settings);
            }
            if (!syncRuns) {
                continue;
            }
            Map<String, Figures> results = new LinkedHashMap<>();
            for (int inFlight : fixed) {
                Run run = new Run(model.cores() + "c-" + inFlight, "model \"" + model.name() + "\": " + inFlight
                        + " Moodle call(s) in flight, fixed", model, Map.of("sync.moodle-calls-in-flight",
                        Integer.toString(inFlight), "sync.moodle-calls-adaptive", "false"));
                Figures figures = run(run, bookings, database);
                results.put(run.key(), figures);
                print(figures, bookings);
            }
            Run adaptive = new Run(model.cores() + "c-adaptive", "model \"" + model.name() + "\": adaptive calls in"
                    + " flight, up to " + ADAPTIVE_MAXIMUM, model, Map.of("sync.moodle-calls-in-flight",
                    Integer.toString(ADAPTIVE_MAXIMUM), "sync.moodle-calls-adaptive", "true"));
            Figures figures = run(adaptive, bookings, database);
            results.put(adaptive.key(), figures);
            print(figures, bookings);
            verdicts.addAll(printModelSummary(model, results, bookings));
            // A site with single sign-on (issue 14): accounts without a Moodle password, so no bcrypt per user.
            if (Boolean.parseBoolean(System.getProperty("benchmark.sso", "true"))) {
                Run sso = new Run(model.cores() + "c-adaptive-oauth2", "model \"" + model.name() + "\": adaptive, as"
                        + " above, with moodle.user.auth=oauth2 (no password hashed)", model, Map.of(
                        "sync.moodle-calls-in-flight", Integer.toString(ADAPTIVE_MAXIMUM), "sync.moodle-calls-adaptive",
                        "true", "moodle.user.auth", "oauth2"));
                print(run(sso, bookings, database), bookings);
            }
        }
        for (long delegates : gradeDelegates) {
            verdicts.add(gradePoll(new GradePollAtScale(delegates), database));
        }
        // The drift reconcile (COURSESxLEARNERS; empty: none), and a first sync beside it.
        String drift = System.getProperty("benchmark.drift", "1000x50");
        if (!drift.isBlank()) {
            String[] size = drift.split("x");
            verdicts.add(new DriftAtScale(Integer.parseInt(size[0].strip()), Integer.parseInt(size[1].strip()),
                    Integer.getInteger("benchmark.drift-bookings", 2_000)).report(database));
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        verdicts.add(goal(maxHeap <= 256 * MIB, String.format(Locale.ROOT, "everything ran under -Xmx256m: max heap"
                + " %d MiB (the application and the emulator share it)", maxHeap / MIB)));
        boolean allMet = !verdicts.contains(false);
        System.out.printf(Locale.ROOT, "%s%n", allMet ? "ALL GOALS MET" : "SOME GOALS NOT MET");
        System.out.flush();
        System.exit(allMet ? 0 : 1);
    }

    private static List<Integer> numbers(String list) {
        List<Integer> numbers = new ArrayList<>();
        for (String number : list.split("\\s*,\\s*")) {
            if (!number.isBlank()) {
                numbers.add(Integer.parseInt(number.strip()));
            }
        }
        return numbers;
    }

    private static void printSetUp(BenchmarkBookings bookings, String database, List<LatencyModel> models) {
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "Sync benchmark (issue 12)%n");
        System.out.printf(Locale.ROOT, "  data: %,d bookings = %,d new users booked onto %,d classroom courses (%d each),"
                        + " %,d enrolments%n", bookings.bookings, bookings.bookings, bookings.courses,
                BenchmarkBookings.DELEGATES_PER_COURSE, bookings.bookings);
        System.out.printf(Locale.ROOT, "  bad data: %,d users (1%%, every %dth user): half a malformed email, half an"
                        + " empty surname; the sync refuses them before any Moodle call and dead-letters them;"
                        + " their %,d bookings are never enrolled%n", bookings.badUsers, BenchmarkBookings.BAD_EVERY,
                bookings.badUsers);
        LatencyModel costs = LatencyModel.TWO_CORES;
        System.out.printf(Locale.ROOT, "  Moodle: the emulator; a call waits for a worker (beyond the backlog: 503),"
                        + " then %d ms without CPU and %d ms CPU + %d ms a user created with createpassword=1 (%d ms"
                        + " without) + %d ms a course + %d ms an enrolment + %d ms a value looked up + %d ms a user in a"
                        + " grade report, the CPU shared by the cores%n", costs.perCallWait().toMillis(),
                costs.perCall().toMillis(), costs.perUserWithPassword().toMillis(),
                costs.perUserWithoutPassword().toMillis(), costs.perCourse().toMillis(),
                costs.perEnrolment().toMillis(), costs.perLookUpValue().toMillis(), costs.perReportedUser().toMillis());
        for (LatencyModel model : models) {
            System.out.printf(Locale.ROOT, "  model \"%s\": %d cores, %d workers, backlog %d%n", model.name(),
                    model.cores(), model.workers(), model.backlog());
        }
        System.out.printf(Locale.ROOT, "  every run: a fresh database %s and a fresh emulator; sync.poll-period-ms=%s;"
                + " other settings as in application.properties%n", database, POLL_PERIOD_MS);
        System.out.printf(Locale.ROOT, "  wall time: from the bookings committed (application already started) until"
                + " every good enrolment is DONE and every bad user dead-lettered%n");
        System.out.printf(Locale.ROOT, "  JVM: Java %s, %d processors, max heap %d MiB (the application and the emulator"
                        + " share it)%n%n", System.getProperty("java.version"), runtime.availableProcessors(),
                runtime.maxMemory() / MIB);
    }

    /** The model's three figures the issue asks for, and its goals. */
    private static List<Boolean> printModelSummary(LatencyModel model, Map<String, Figures> results,
                                                   BenchmarkBookings bookings) {
        List<Boolean> verdicts = new ArrayList<>();
        Figures adaptive = results.get(model.cores() + "c-adaptive");
        Figures one = results.get(model.cores() + "c-1");
        Figures best = results.values().stream().filter(f -> f != adaptive && f.completed())
                .min(java.util.Comparator.comparingLong(Figures::wallMillis)).orElse(null);
        System.out.printf(Locale.ROOT, "Model \"%s\": first sync of %,d bookings%n", model.name(), bookings.bookings);
        System.out.printf(Locale.ROOT, "  %-34s %10s %8s %10s %10s%n", "", "wall", "calls", "peak heap", "503s");
        for (Figures f : new Figures[] {one, best, adaptive}) {
            if (f != null) {
                System.out.printf(Locale.ROOT, "  %-34s %8.1f s %,8d %6d MiB %10d%n",
                        f == one ? "1 call in flight" : f == adaptive ? "adaptive (up to " + ADAPTIVE_MAXIMUM + ")"
                                : "best fixed: " + f.run().settings().get("sync.moodle-calls-in-flight") + " in flight",
                        f.wallMillis() / 1000.0, f.totalCalls(), f.peakHeapSampled() / MIB, f.turnedAway());
            }
        }
        if (best != null && adaptive != null) {
            double ratio = (double) adaptive.wallMillis() / best.wallMillis();
            verdicts.add(goal(adaptive.completed() && ratio <= 1.15, String.format(Locale.ROOT,
                    "adaptive within 1.15 x the best fixed setting: %.2f x (%.1f s against %.1f s)", ratio,
                    adaptive.wallMillis() / 1000.0, best.wallMillis() / 1000.0)));
            verdicts.add(goal(adaptive.turnedAway() == 0, String.format(Locale.ROOT,
                    "adaptive never drove Moodle into errors: %d calls answered 503; the limit rose to %d (at the"
                            + " end %d), Moodle served at most %d at once", adaptive.turnedAway(),
                    adaptive.highestLimit(), adaptive.lastLimit(), adaptive.mostCallsInFlight())));
        }
        for (Figures f : results.values()) {
            verdicts.add(goal(f.completed() && f.moodleHoldsExactlyTheGoodRecords(), String.format(Locale.ROOT,
                    "run %s: every good record synced and every bad one dead-lettered%s", f.run().key(),
                    f.completed() ? "" : ": " + f.unfinished())));
        }
        System.out.println();
        return verdicts;
    }

    /** The grade poll over generated delegates, twice: the second poll remembers which courses have completion. */
    private static boolean gradePoll(GradePollAtScale scale, String databaseName) throws Exception {
        System.out.printf(Locale.ROOT, "Grade poll over %,d open delegates (%,d courses of %,d; the first course has"
                        + " completion criteria), model \"%s\", grades.moodle-calls-in-flight=8, page size 10,000 ...%n",
                scale.delegates, scale.courses, GradePollAtScale.DELEGATES_PER_COURSE, LatencyModel.EIGHT_CORES.name());
        System.out.flush();
        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, TOKEN)) {
            moodle.setLatencyModel(LatencyModel.EIGHT_CORES);
            moodle.generateGradeReports(scale.reports());
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            // The emulator speaks plain HTTP on this machine.
            settings.put("moodle.allow-insecure-http", "true");
            settings.put("moodle.token", TOKEN);
            settings.put("moodle.category-id", CATEGORY);
            settings.put("moodle.role-id", STUDENT_ROLE);
            // Nothing to sync: the sync polls stay out of the way.
            settings.put("sync.poll-period-ms", "3600000");
            settings.put("sync.instance-id", "benchmark-grades");
            settings.put("grades.cron", "0 0 0 1 1 ? 2099");
            settings.put("grades.moodle-calls-in-flight", "8");
            settings.put("grades.page-size", "10000");
            try (RunningSync sync = RunningSync.start(settings, new MoodleCallClock())) {
                scale.insert(database.queryUrl());
                HeapWatch firstHeap = HeapWatch.startMeasuringLive();
                GradePollAtScale.Poll first = GradePollAtScale.poll(sync.main(), moodle, database, scale.delegates);
                firstHeap.stop();
                HeapWatch secondHeap = HeapWatch.startMeasuringLive();
                GradePollAtScale.Poll second = GradePollAtScale.poll(sync.main(), moodle, database, scale.delegates);
                secondHeap.stop();
                for (var poll : List.of(first, second)) {
                    HeapWatch heap = poll == first ? firstHeap : secondHeap;
                    System.out.printf(Locale.ROOT, "  %s poll: %,d grade-report calls, %,d completion calls, %.1f s,"
                                    + " peak heap %d MiB, most heap left after a collection %d MiB, live heap (after"
                                    + " a full collection every 20 s) at most %d MiB; %,d of %,d delegates scored%n",
                            poll == first ? "first " : "second",
                            poll.gradeCalls(), poll.completionCalls(), poll.wallMillis() / 1000.0,
                            heap.peakSampled() / MIB, heap.peakAfterCollection() / MIB, heap.peakLive() / MIB,
                            poll.delegatesScored(), scale.delegates);
                }
                System.out.println();
                return goal(first.delegatesScored() == scale.delegates && second.completionCalls()
                        <= GradePollAtScale.DELEGATES_PER_COURSE, String.format(Locale.ROOT,
                        "grade poll over %,d delegates: every score read, the second poll asks completion only of the"
                                + " course with criteria (%,d calls)", scale.delegates, second.completionCalls()));
            }
        }
    }

    private static Figures run(Run run, BenchmarkBookings bookings, String databaseName) throws Exception {
        System.out.printf(Locale.ROOT, "Run %s: %s ...%n", run.key(), run.title());
        System.out.flush();
        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, TOKEN)) {
            moodle.setLatencyModel(run.model());
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            // The emulator speaks plain HTTP on this machine.
            settings.put("moodle.allow-insecure-http", "true");
            settings.put("moodle.token", TOKEN);
            settings.put("moodle.category-id", CATEGORY);
            settings.put("moodle.role-id", STUDENT_ROLE);
            settings.put("sync.poll-period-ms", POLL_PERIOD_MS);
            settings.put("sync.instance-id", "benchmark-" + run.key());
            // The grade poll does not run on its own (its cron is in 2099).
            settings.put("grades.cron", "0 0 0 1 1 ? 2099");
            settings.putAll(run.settings());

            MoodleCallClock clock = new MoodleCallClock();
            HeapWatch heap = HeapWatch.start();
            long startedAt = System.nanoTime();
            try (RunningSync sync = RunningSync.start(settings, clock)) {
                long startMillis = (System.nanoTime() - startedAt) / 1_000_000;
                bookings.insert(database.queryUrl());
                long committedAt = System.nanoTime();
                String unfinished = awaitSynced(database.queryUrl(), bookings, committedAt);
                long wallMillis = (System.nanoTime() - committedAt) / 1_000_000;
                heap.stop();
                CallsInFlight limit = sync.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("moodleCallShares", MoodleCallShares.class).sync();
                Map<String, Long> progress = BenchmarkBookings.progress(database.queryUrl());
                long synced = progress.get("courses_done") + progress.get("users_done") + progress.get("enrolments_done");
                return new Figures(run, unfinished == null, unfinished, wallMillis, startMillis, moodle.callCounts(),
                        moodle.modelledMillis(), moodle.mostCallsInFlight(), heap.peakSampled(), heap.peakOfPools(),
                        clock.busyMillis(), clock.moodleCallMillis(), clock.sqlMillis(), clock.sqlStatements(), synced,
                        progress.get("dead_letters"), progress.get("claimed_again"), moodleHoldsExactly(moodle, bookings),
                        moodle.callsTurnedAway(), limit.highestLimit(), limit.limit());
            } finally {
                heap.stop();
            }
        }
    }

    /**
     * Waits until every good enrolment is done and every bad user dead-lettered, printing progress each minute.
     * Returns null then, or why it stopped waiting (a good record failed, or it took far too long).
     */
    private static String awaitSynced(String url, BenchmarkBookings bookings, long committedAt) {
        AtomicLong lastReport = new AtomicLong(committedAt);
        String[] stuck = new String[1];
        try {
            Awaitility.await().atMost(Duration.ofHours(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<String, Long> progress = BenchmarkBookings.progress(url);
                        long now = System.nanoTime();
                        if (now - lastReport.get() > Duration.ofMinutes(1).toNanos()) {
                            lastReport.set(now);
                            System.out.printf(Locale.ROOT, "  %4d s: %s%n", (now - committedAt) / 1_000_000_000, progress);
                            System.out.flush();
                        }
                        if (progress.get("others_failed") > 0 || progress.get("users_failed") > bookings.badUsers) {
                            stuck[0] = "good records were dead-lettered: " + progress;
                            return true;
                        }
                        return progress.get("enrolments_done") == bookings.goodEnrolments()
                                && progress.get("users_failed") == bookings.badUsers
                                && progress.get("bad_dead_lettered") == bookings.badUsers;
                    });
        } catch (ConditionTimeoutException e) {
            return "not finished after 3 hours";
        }
        return stuck[0];
    }

    /** Moodle holds every good user and enrolment and every course once, and nothing of the bad users. */
    private static boolean moodleHoldsExactly(MoodleEmulator moodle, BenchmarkBookings bookings) {
        var site = moodle.site();
        long users = site.users().stream().filter(user -> user.username().startsWith("apit.")).count();
        long distinctUsers = site.users().stream().map(user -> user.username()).distinct().count();
        long courses = site.courses().stream().filter(course -> course.idnumber() != null
                && course.idnumber().startsWith("APIT-C-")).count();
        long enrolments = site.enrolments().size();
        long distinctEnrolments = site.enrolments().stream().map(e -> e.userId() + "/" + e.courseId()).distinct().count();
        return users == bookings.goodUsers() && distinctUsers == site.users().size() && courses == bookings.courses
                && enrolments == bookings.goodEnrolments() && distinctEnrolments == enrolments;
    }

    private static void print(Figures f, BenchmarkBookings bookings) {
        System.out.printf(Locale.ROOT, "Run %s: %s%n", f.run().key(), f.run().title());
        if (!f.completed()) {
            System.out.printf(Locale.ROOT, "  DID NOT COMPLETE: %s%n", f.unfinished());
        }
        System.out.printf(Locale.ROOT, "  wall time                 %,10.1f s   (application start-up before it: %.1f s)%n",
                f.wallMillis() / 1000.0, f.startMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "  Moodle calls              %,10d%n", f.totalCalls());
        for (String function : FUNCTIONS) {
            System.out.printf(Locale.ROOT, "    %-34s %,8d%n", function, f.calls().getOrDefault(function, 0));
        }
        f.calls().forEach((function, count) -> {
            if (!List.of(FUNCTIONS).contains(function)) {
                System.out.printf(Locale.ROOT, "    %-34s %,8d%n", function, count);
            }
        });
        System.out.printf(Locale.ROOT, "  records synced            %,10d   (%,d courses + %,d users + %,d enrolments);"
                        + " dead-lettered: %,d%n", f.recordsSynced(), bookings.courses, bookings.goodUsers(),
                bookings.goodEnrolments(), f.deadLettered());
        System.out.printf(Locale.ROOT, "  records per second        %,10.1f%n", f.recordsSynced() * 1000.0 / f.wallMillis());
        System.out.printf(Locale.ROOT, "  modelled Moodle time      %,10.1f s   (the latency model's cost of every call received)%n",
                f.modelledMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "  wall / modelled           %10.2f%n", f.wallToModelled());
        System.out.printf(Locale.ROOT, "  most calls in flight      %10d%n", f.mostCallsInFlight());
        System.out.printf(Locale.ROOT, "  peak heap used            %,10d MiB (sampled every 10 ms; sum of the heap pools' peaks: %,d MiB)%n",
                f.peakHeapSampled() / MIB, f.peakHeapPools() / MIB);
        System.out.printf(Locale.ROOT, "  where the wall time went  Moodle call(s) in flight %.1f s, none in flight %.1f s;"
                        + " the calls took %.1f s in all, client side (modelled %.1f s);"
                        + " %,d SQL statements took %.1f s in all%n",
                f.moodleBusyMillis() / 1000.0, (f.wallMillis() - f.moodleBusyMillis()) / 1000.0,
                f.moodleCallMillis() / 1000.0, f.modelledMillis() / 1000.0, f.sqlStatements(), f.sqlMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "  records claimed again     %,10d   (their claim's lease, sync.claim-lease, ran out"
                + " before they were finished: sent again)%n", f.claimedAgain());
        System.out.printf(Locale.ROOT, "  Moodle holds exactly the good records: %s%n",
                f.moodleHoldsExactlyTheGoodRecords() ? "yes" : "NO");
        System.out.printf(Locale.ROOT, "  answered 503 (backlog full) %,8d%n", f.turnedAway());
        System.out.printf(Locale.ROOT, "  the sync's limit of calls in flight: highest %d, at the end %d%n",
                f.highestLimit(), f.lastLimit());
        System.out.println();
        System.out.flush();
    }

    static boolean goal(boolean met, String description) {
        System.out.printf(Locale.ROOT, "  %s  %s%n", met ? "PASS" : "FAIL", description);
        return met;
    }

    /** The heap in use, sampled every 10 ms while a run syncs, and the peaks of the heap pools since it started. */
    static final class HeapWatch {

        /** How often a run that measures its live heap collects it in full: often enough, and a cost of under 1 %. */
        private static final long LIVE_PERIOD_NANOS = 20_000_000_000L;

        private final AtomicLong peak = new AtomicLong();
        /** The most heap in use right after a full collection, one every 20 s (when measured). */
        private final AtomicLong peakLive = new AtomicLong();
        private boolean measureLive;
        /** The most heap left in use right after a collection: what the run holds, without its garbage. */
        private final AtomicLong peakAfterCollection = new AtomicLong();
        private final javax.management.NotificationListener collections = (notification, handback) -> {
            if (notification.getType().equals(
                    com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) notification.getUserData());
                long after = 0;
                for (var pool : heapPools()) {
                    var usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    after += usage == null ? 0 : usage.getUsed();
                }
                peakAfterCollection.accumulateAndGet(after, Math::max);
            }
        };
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapWatch() {
            sampler = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                long nextFullCollection = System.nanoTime() + LIVE_PERIOD_NANOS;
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    if (measureLive && System.nanoTime() >= nextFullCollection) {
                        // What the run holds, without its garbage: a full collection, then the heap in use.
                        System.gc();
                        peakLive.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        nextFullCollection = System.nanoTime() + LIVE_PERIOD_NANOS;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
        }

        /** As {@link #start()}, also collecting in full every 20 s to measure the heap the run holds. */
        static HeapWatch startMeasuringLive() {
            return start(true);
        }

        static HeapWatch start() {
            return start(false);
        }

        private static HeapWatch start(boolean measureLive) {
            System.gc(); // what the previous run left is not this run's
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
            HeapWatch watch = new HeapWatch();
            watch.measureLive = measureLive;
            for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) collector).addNotificationListener(watch.collections, null, null);
            }
            watch.sampler.start();
            return watch;
        }

        void stop() {
            if (running) {
                for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                    try {
                        ((javax.management.NotificationEmitter) collector).removeNotificationListener(collections);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // not added: nothing to remove
                    }
                }
            }
            running = false;
        }

        long peakAfterCollection() {
            return peakAfterCollection.get();
        }

        long peakLive() {
            return peakLive.get();
        }

        long peakSampled() {
            return peak.get();
        }

        /** An upper bound: each pool's own peak, reached at different moments. */
        long peakOfPools() {
            return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        }

        private static List<MemoryPoolMXBean> heapPools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        }
    }
}
