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
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The throughput benchmark of issue 5 (see README, "Benchmark"): syncs {@code benchmark.bookings} bookings
 * (default 10,000: as many new users over bookings / 50 classroom courses, 1% of the users bad data) against the
 * Moodle emulator answering as slowly as the recording Moodle 4.1 did ({@link LatencyModel#MOODLE_4_1}), three
 * times, each on a fresh database and a fresh emulator: batched with one Moodle call in flight, batched with four,
 * and record by record with one (the per-record baseline). Prints the figures of each run, the ratios between
 * them and whether the goals are met; exits with 1 when one is not.
 *
 * <p>Not a test: it takes about 35 minutes at the default size. Run it with
 * {@code mvn -q -Pbenchmark -DskipTests test-compile exec:exec} (add {@code -Dbenchmark.bookings=500} for a quick one).
 */
public final class SyncBenchmark {

    private static final String TOKEN = "benchmark-token-0123456789abcdef";
    /** The emulator's "Accessplanit courses" category and its student role. */
    private static final String CATEGORY = "2";
    private static final String STUDENT_ROLE = "5";
    /** Short, so Moodle does not sit idle waiting for the next poll: the same in every run. */
    private static final String POLL_PERIOD_MS = "500";
    private static final long MIB = 1024 * 1024;

    private static final String[] FUNCTIONS = {"core_course_get_courses_by_field", "core_course_create_courses",
        "core_user_get_users_by_field", "core_user_create_users", "enrol_manual_enrol_users"};

    /** One way of running the sync, and what it showed. */
    private record Run(String key, String title, Map<String, String> settings) {
    }

    private record Figures(Run run, boolean completed, String unfinished, long wallMillis, long startMillis,
                           Map<String, Integer> calls, long modelledMillis, int mostCallsInFlight,
                           long peakHeapSampled, long peakHeapPools, long moodleBusyMillis, long moodleCallMillis,
                           long sqlMillis, long sqlStatements, long recordsSynced, long deadLettered, long claimedAgain,
                           boolean moodleHoldsExactlyTheGoodRecords, GradePoll gradePoll) {

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
        List<String> wanted = List.of(System.getProperty("benchmark.runs", "a,b,c").split("\\s*,\\s*"));

        List<Run> runs = new ArrayList<>();
        if (wanted.contains("a")) {
            runs.add(new Run("a", "batched, 1 Moodle call in flight", Map.of("sync.moodle-calls-in-flight", "1")));
        }
        if (wanted.contains("b")) {
            runs.add(new Run("b", "batched, 4 Moodle calls in flight", Map.of("sync.moodle-calls-in-flight", "4")));
        }
        if (wanted.contains("c")) {
            runs.add(new Run("c", "per-record baseline: batch size 1, 1 Moodle call in flight", Map.of(
                    "sync.moodle-calls-in-flight", "1", "sync.course-batch-size", "1", "sync.user-batch-size", "1",
                    "sync.enrolment-batch-size", "1")));
        }

        printSetUp(bookings, database);
        Map<String, Figures> results = new LinkedHashMap<>();
        for (Run run : runs) {
            Figures figures = run(run, bookings, database);
            results.put(run.key(), figures);
            print(figures, bookings);
        }
        boolean allMet = printComparisonAndGoals(results, bookings);
        System.out.flush();
        System.exit(allMet ? 0 : 1);
    }

    private static void printSetUp(BenchmarkBookings bookings, String database) {
        Runtime runtime = Runtime.getRuntime();
        LatencyModel model = LatencyModel.MOODLE_4_1;
        System.out.printf(Locale.ROOT, "Sync benchmark (issue 5)%n");
        System.out.printf(Locale.ROOT, "  data: %,d bookings = %,d new users booked onto %,d classroom courses (%d each),"
                        + " %,d enrolments%n", bookings.bookings, bookings.bookings, bookings.courses,
                BenchmarkBookings.DELEGATES_PER_COURSE, bookings.bookings);
        System.out.printf(Locale.ROOT, "  bad data: %,d users (1%%, every %dth user): half a malformed email, half an"
                        + " empty surname; the sync refuses them before any Moodle call and dead-letters them;"
                        + " their %,d bookings are never enrolled%n", bookings.badUsers, BenchmarkBookings.BAD_EVERY,
                bookings.badUsers);
        System.out.printf(Locale.ROOT, "  Moodle: the emulator, latency model MOODLE_4_1: %d ms a call + %d ms a created"
                        + " user + %d ms a created course + %d ms an enrolment%n", model.perCall().toMillis(),
                model.perUserWithPassword().toMillis(), model.perCourse().toMillis(), model.perEnrolment().toMillis());
        System.out.printf(Locale.ROOT, "  every run: a fresh database %s and a fresh emulator; sync.poll-period-ms=%s;"
                + " other settings as in application.properties%n", database, POLL_PERIOD_MS);
        System.out.printf(Locale.ROOT, "  wall time: from the bookings committed (application already started) until"
                + " every good enrolment is DONE and every bad user dead-lettered%n");
        System.out.printf(Locale.ROOT, "  JVM: Java %s, %d processors, max heap %d MiB (the application and the emulator"
                        + " share it)%n%n", System.getProperty("java.version"), runtime.availableProcessors(),
                runtime.maxMemory() / MIB);
    }

    private static Figures run(Run run, BenchmarkBookings bookings, String databaseName) throws Exception {
        System.out.printf(Locale.ROOT, "Run %s: %s ...%n", run.key(), run.title());
        System.out.flush();
        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, TOKEN)) {
            moodle.setLatencyModel(LatencyModel.MOODLE_4_1);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            settings.put("moodle.token", TOKEN);
            settings.put("moodle.category-id", CATEGORY);
            settings.put("moodle.role-id", STUDENT_ROLE);
            settings.put("sync.poll-period-ms", POLL_PERIOD_MS);
            settings.put("sync.instance-id", "benchmark-" + run.key());
            // The grade poll does not run on its own (its cron is in 2099): GradePoll runs it once the sync is done.
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
                Map<String, Long> progress = BenchmarkBookings.progress(database.queryUrl());
                long synced = progress.get("courses_done") + progress.get("users_done") + progress.get("enrolments_done");
                return new Figures(run, unfinished == null, unfinished, wallMillis, startMillis, moodle.callCounts(),
                        moodle.modelledMillis(), moodle.mostCallsInFlight(), heap.peakSampled(), heap.peakOfPools(),
                        clock.busyMillis(), clock.moodleCallMillis(), clock.sqlMillis(), clock.sqlStatements(), synced,
                        progress.get("dead_letters"), progress.get("claimed_again"), moodleHoldsExactly(moodle, bookings),
                        unfinished == null ? GradePoll.measure(sync.main(), moodle, database) : null);
            } finally {
                heap.stop();
            }
        }
    }

    /** The whole application started in this JVM as an operator would, with the run's settings and the call clock. */
    private record RunningSync(Main main, Thread thread) implements AutoCloseable {

        static RunningSync start(Map<String, String> settings, MoodleCallClock clock) {
            Main main = new Main(Application.class);
            settings.forEach(main::addOverrideProperty);
            main.bind("moodleCallClock", clock);
            Thread thread = new Thread(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "benchmark-application");
            thread.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                CamelContext context = main.getCamelContext();
                return context != null && context.isStarted();
            });
            return new RunningSync(main, thread);
        }

        /** Stops it as SIGTERM would. */
        @Override
        public void close() throws InterruptedException {
            main.completed();
            thread.join(Duration.ofSeconds(60).toMillis());
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
        if (f.gradePoll() != null) {
            GradePoll g = f.gradePoll();
            System.out.printf(Locale.ROOT, "  then the grade poll       %,d scores read back for %,d delegates on %,d courses in"
                            + " %.1f s: %,d gradereport_user_get_grade_items calls, %,d completion calls (modelled %.1f s)%n",
                    g.delegatesScored(), g.delegates(), g.courses(), g.wallMillis() / 1000.0, g.gradeCalls(),
                    g.completionCalls(), g.modelledMillis() / 1000.0);
        }
        System.out.println();
        System.out.flush();
    }

    /** Prints the ratios between the runs and each goal of issue 5 with PASS or FAIL; true when all are met. */
    private static boolean printComparisonAndGoals(Map<String, Figures> results, BenchmarkBookings bookings) {
        Figures a = results.get("a");
        Figures b = results.get("b");
        Figures c = results.get("c");
        List<Boolean> verdicts = new ArrayList<>();
        if (c != null && (a != null || b != null)) {
            System.out.println("Baseline against batched");
            for (Figures batched : new Figures[] {a, b}) {
                if (batched != null) {
                    System.out.printf(Locale.ROOT, "  calls  baseline / run %s   %8.1f x%n", batched.run().key(),
                            (double) c.totalCalls() / batched.totalCalls());
                    System.out.printf(Locale.ROOT, "  wall   baseline / run %s   %8.1f x%n", batched.run().key(),
                            (double) c.wallMillis() / batched.wallMillis());
                }
            }
            System.out.println();
        }
        System.out.println("Goals (issue 5)");
        if (c != null && a != null) {
            double ratio = (double) c.totalCalls() / a.totalCalls();
            verdicts.add(goal(ratio >= 20, String.format(Locale.ROOT,
                    "at least 20x fewer calls than the per-record baseline: %.1f x (%,d against %,d)", ratio,
                    a.totalCalls(), c.totalCalls())));
        } else {
            System.out.println("  (not checked: 20x fewer calls, needs runs a and c)");
        }
        if (a != null) {
            verdicts.add(goal(a.completed() && a.wallToModelled() <= 1.3, String.format(Locale.ROOT,
                    "1 call in flight: wall within 1.3 x modelled Moodle time: %.2f x (%.1f s / %.1f s)",
                    a.wallToModelled(), a.wallMillis() / 1000.0, a.modelledMillis() / 1000.0)));
        }
        if (b != null) {
            verdicts.add(goal(b.completed() && b.wallToModelled() < 0.4, String.format(Locale.ROOT,
                    "4 calls in flight: wall under 0.4 x modelled Moodle time: %.2f x (%.1f s / %.1f s)",
                    b.wallToModelled(), b.wallMillis() / 1000.0, b.modelledMillis() / 1000.0)));
        }
        for (Figures f : results.values()) {
            verdicts.add(goal(f.completed() && f.moodleHoldsExactlyTheGoodRecords(), String.format(Locale.ROOT,
                    "run %s: every good record synced (%,d courses, %,d users, %,d enrolments) and every bad one"
                            + " dead-lettered (%,d users)%s", f.run().key(), bookings.courses, bookings.goodUsers(),
                    bookings.goodEnrolments(), bookings.badUsers, f.completed() ? "" : ": " + f.unfinished())));
        }
        for (Figures f : results.values()) {
            if (f.gradePoll() != null) {
                GradePoll g = f.gradePoll();
                verdicts.add(goal(g.gradeCalls() == g.courses() && g.delegatesScored() == g.delegates(),
                        String.format(Locale.ROOT, "run %s: the grade poll makes one grade call per course: %,d calls"
                                + " for %,d courses, %,d of %,d delegates' scores read back", f.run().key(),
                                g.gradeCalls(), g.courses(), g.delegatesScored(), g.delegates())));
            }
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        verdicts.add(goal(maxHeap <= 256 * MIB, String.format(Locale.ROOT,
                "completed under -Xmx256m: max heap %d MiB, highest peak %d MiB", maxHeap / MIB,
                results.values().stream().mapToLong(Figures::peakHeapSampled).max().orElse(0) / MIB)));
        boolean allMet = !verdicts.contains(false);
        System.out.printf(Locale.ROOT, "%s%n", allMet ? "ALL GOALS MET" : "SOME GOALS NOT MET");
        return allMet;
    }

    private static boolean goal(boolean met, String description) {
        System.out.printf(Locale.ROOT, "  %s  %s%n", met ? "PASS" : "FAIL", description);
        return met;
    }

    /** The heap in use, sampled every 10 ms while a run syncs, and the peaks of the heap pools since it started. */
    private static final class HeapWatch {

        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapWatch() {
            sampler = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
        }

        static HeapWatch start() {
            System.gc(); // what the previous run left is not this run's
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
            HeapWatch watch = new HeapWatch();
            watch.sampler.start();
            return watch;
        }

        void stop() {
            running = false;
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
