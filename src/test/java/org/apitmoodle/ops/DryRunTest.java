package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** sync.dry-run=true: everything is read and mapped and reported, and no call that writes reaches Moodle. */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "sync.dry-run=true"})
class DryRunTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void whatWouldBeSentIsReportedAndNothingIsWrittenToMoodle() {
        Accessplanit accessplanit = new Accessplanit(db);
        long elearning = moodle.site().addCourse("ELEARN-1", "GDPR e-learning", "ELEARN-1", CATEGORY).id();
        accessplanit.template(1, "aims", elearning);
        accessplanit.course(1, 1, "GDPR (e-learning)", "ELEARNING", null, null, false, null);
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(10, "Alice", "Anderson", "alice@example.com");
        accessplanit.delegate(10, 10, 10, "BOOKED");
        // Already in Moodle: her e-learning booking is an enrolment the dry run reports.
        accessplanit.user(11, "Bob", "Brown", "bob@example.com");
        db.update("UPDATE users SET moodle_id = 77 WHERE id = 11");
        accessplanit.delegate(11, 11, 1, "BOOKED");
        DryRun dryRun = context.getRegistry().lookupByNameAndType("dryRun", DryRun.class);

        eventually().until(() -> dryRun.counts().equals(Map.of("course", 1, "user", 1, "enrolment", 1)));
        NotifyBuilder morePolls = new NotifyBuilder(context).fromRoute("poll-course").whenCompleted(3).create();
        assertThat(morePolls.matches(90, TimeUnit.SECONDS)).isTrue();

        assertThat(moodle.calls()).extracting(RecordedCall::wsfunction).allMatch(function -> function.contains("_get_"));
        assertThat(moodle.site().courseByIdnumber("APIT-C-10")).isEmpty();
        assertThat(moodle.site().userByUsername("apit.10")).isEmpty();
        assertThat(accessplanit.courseMoodleId(10)).isNull();
        assertThat(accessplanit.userMoodleId(10)).isNull();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE state = 'DONE'")).isZero();
        assertThat(dryRun.counts()).as("each record counted once, however many polls").containsEntry("course", 1);
        assertThat(dryRun.samples("course")).singleElement().satisfies(fields -> assertThat(fields)
                .contains(Map.entry("wstoken", DryRun.MASKED_TOKEN), Map.entry("wsfunction", "core_course_create_courses"),
                        Map.entry("courses[0][shortname]", "APIT-10"), Map.entry("courses[0][fullname]", "Fire Safety")));
        assertThat(dryRun.samples("enrolment")).singleElement().satisfies(fields -> assertThat(fields)
                .contains(Map.entry("enrolments[0][userid]", "77"),
                        Map.entry("enrolments[0][courseid]", Long.toString(elearning))));
        assertThat(new Observe(managementPort).health("/ready").check("sync").path("message").asText())
                .startsWith("Dry run");
        String report = dryRun.report();
        assertThat(report).contains("course: 1 record(s) with core_course_create_courses, ids [10]")
                .contains("user: 1 record(s) with core_user_create_users, ids [10]")
                .contains("users[0][username]=apit.10").contains("wstoken=" + DryRun.MASKED_TOKEN)
                .doesNotContain(TOKEN);
    }
}
