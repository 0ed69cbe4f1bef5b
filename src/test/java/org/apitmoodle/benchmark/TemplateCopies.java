package org.apitmoodle.benchmark;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;

/**
 * A first sync of course dates alone: {@code dates} classroom dates made as empty courses, then the same number made
 * as copies of their template's Moodle course (a course of 4 activities), on a latency model. Wall time: from the
 * dates committed until every one has its Moodle id written back (a copy: copied, then given its date).
 */
final class TemplateCopies {

    /** What a run measured. */
    record Figures(String what, int dates, long wallMillis, Map<String, Integer> calls, long modelledMillis,
            long coursesInMoodle) {
    }

    private final int dates;
    private final java.util.List<Integer> copiesInFlight;

    /** {@code copiesInFlight}: the values of courses.copy-calls-in-flight the copies run with (1 as shipped). */
    TemplateCopies(int dates, java.util.List<Integer> copiesInFlight) {
        this.dates = dates;
        this.copiesInFlight = copiesInFlight;
    }

    /** Both runs, each on a fresh database and emulator, printed side by side. */
    void runBoth(LatencyModel model, String databaseName, String token, Map<String, String> baseSettings)
            throws Exception {
        java.util.List<Figures> figures = new java.util.ArrayList<>();
        figures.add(run(model, databaseName, token, baseSettings, 0));
        for (int inFlight : copiesInFlight) {
            figures.add(run(model, databaseName, token, baseSettings, inFlight));
        }
        System.out.printf(Locale.ROOT, "First sync of %d course dates, model \"%s\":%n", dates, model.name());
        for (Figures f : figures) {
            System.out.printf(Locale.ROOT, "  %-48s %6.1f s wall, %3d Moodle calls %s, modelled Moodle time %.1f s,"
                    + " %d courses in Moodle%n", f.what(), f.wallMillis() / 1000.0,
                    f.calls().values().stream().mapToInt(Integer::intValue).sum(), f.calls(),
                    f.modelledMillis() / 1000.0, f.coursesInMoodle());
        }
        System.out.flush();
    }

    private Figures run(LatencyModel model, String databaseName, String token, Map<String, String> baseSettings,
            int copiesInFlight) throws Exception {
        boolean fromTemplates = copiesInFlight > 0;
        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, token)) {
            moodle.setLatencyModel(model);
            long template = moodle.site().addCourse("TEMPLATE", "Fire Safety (template)", "", 2).id();
            moodle.site().addActivity(template, 0, "label", "Joining instructions", "<p>Joining instructions</p>");
            moodle.site().addActivity(template, 1, "page", "Pre-course reading", "");
            moodle.site().addActivity(template, 1, "feedback", "Feedback form", "");
            moodle.site().addActivity(template, 2, "quiz", "Assessment", "");
            Map<String, String> settings = new LinkedHashMap<>(baseSettings);
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            settings.put("sync.instance-id", "benchmark-" + (fromTemplates ? "copies" : "empty"));
            if (fromTemplates) {
                settings.put("courses.copy-calls-in-flight", Integer.toString(copiesInFlight));
            }
            try (RunningSync sync = RunningSync.start(settings, Map.of())) {
                database.update("INSERT INTO course_templates (id, name, aims, moodle_course_id)"
                        + " VALUES (1, 'Fire Safety', '<p>Aims</p>', ?)", fromTemplates ? template : null);
                database.update("INSERT INTO courses (id, template_id, label, course_type, start_at, end_at,"
                        + " sync_to_moodle) SELECT g, 1, 'Fire Safety ' || g, 'CLASSROOM',"
                        + " timestamptz '2027-05-10 09:00+00' + g * interval '1 day',"
                        + " timestamptz '2027-05-10 17:00+00' + g * interval '1 day', true"
                        + " FROM generate_series(1, ?) AS g", dates);
                long committedAt = System.nanoTime();
                Awaitility.await().atMost(Duration.ofMinutes(30)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> database.count("SELECT count(*) FROM courses WHERE moodle_id IS NOT NULL") == dates);
                long wallMillis = (System.nanoTime() - committedAt) / 1_000_000;
                long inMoodle = moodle.site().courses().stream().filter(c -> c.idnumber().startsWith("APIT-C-")).count();
                return new Figures(fromTemplates ? "copies of a template course (4 activities), " + copiesInFlight
                        + " in flight" : "empty courses",
                        dates, wallMillis, moodle.callCounts(), moodle.modelledMillis(), inMoodle);
            }
        }
    }
}
