package org.apitmoodle.benchmark;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;
import org.quartz.JobKey;

/**
 * The grade poll after a sync (issue 5, item 7): every enrolled delegate gets a course total in Moodle, one grade
 * poll runs, and the figures of its reading all scores back are kept.
 */
record GradePoll(int courses, long delegates, long delegatesScored, int gradeCalls, int completionCalls,
                 long wallMillis, long modelledMillis) {

    static GradePoll measure(Main main, MoodleEmulator moodle, TestDatabase database) throws Exception {
        MoodleSite site = moodle.site();
        Set<Long> courses = new TreeSet<>();
        for (Enrolment enrolment : site.enrolments()) {
            courses.add(enrolment.courseId());
        }
        for (long course : courses) {
            site.addManualGradeItem(course, "Final assessment", "APIT-FINAL");
        }
        for (Enrolment enrolment : site.enrolments()) {
            site.setGrade(enrolment.courseId(), enrolment.userId(), 40.0 + enrolment.userId() % 60);
        }
        long delegates = database.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE'");
        int gradeCallsBefore = moodle.callCount("gradereport_user_get_grade_items");
        int completionCallsBefore = moodle.callCount("core_completion_get_course_completion_status");
        long modelledBefore = moodle.modelledMillis();
        long start = System.nanoTime();

        // One poll, as its Quartz trigger would start it.
        CamelContext context = main.getCamelContext();
        context.getComponent("quartz", QuartzComponent.class).getScheduler()
                .triggerJob(new JobKey("poll-grades", "apit-sync"));
        Awaitility.await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                database.count("SELECT count(*) FROM delegates WHERE score IS NOT NULL") >= delegates
                        && context.getInflightRepository().size("poll-grades") == 0);
        long wallMillis = (System.nanoTime() - start) / 1_000_000;

        return new GradePoll(courses.size(), delegates,
                database.count("SELECT count(*) FROM delegates WHERE score IS NOT NULL"),
                moodle.callCount("gradereport_user_get_grade_items") - gradeCallsBefore,
                moodle.callCount("core_completion_get_course_completion_status") - completionCallsBefore,
                wallMillis, moodle.modelledMillis() - modelledBefore);
    }
}
