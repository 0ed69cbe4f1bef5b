package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * courses.copy-template-course=false: a classroom date whose template has a Moodle course id becomes an empty course,
 * as before copies existed; the template's Moodle course is neither copied nor touched.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "courses.copy-template-course=false"})
class CourseCopySwitchedOffTest extends SyncTestSupport {

    @Test
    void aDateOfATemplateWithAMoodleCourseIsAnEmptyCourse() {
        Accessplanit accessplanit = new Accessplanit(db);
        MoodleSite site = moodle.site();
        long template = site.addCourse("TEMPLATE-1", "Fire Safety (template)", "", CATEGORY).id();
        site.addActivity(template, 1, "quiz", "Assessment", "");
        accessplanit.template(1, "<p>Aims</p>", template);
        accessplanit.course(1, 1, "Fire Safety, May", "CLASSROOM", OffsetDateTime.parse("2027-05-10T09:00:00Z"),
                OffsetDateTime.parse("2027-05-10T17:00:00Z"), true, null);
        accessplanit.user(1, "Fiona", "Field", "fiona@example.org");
        accessplanit.delegate(100, 1, 1, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100)));

        long moodleId = accessplanit.courseMoodleId(1);
        Course course = site.courseById(moodleId).orElseThrow();
        assertThat(moodleId).isNotEqualTo(template);
        assertThat(course.idnumber()).isEqualTo("APIT-C-1");
        assertThat(site.activities(moodleId)).as("an empty course").isEmpty();
        assertThat(moodle.callCount("core_course_duplicate_course")).isZero();
        assertThat(accessplanit.syncState("course", 1)).isEqualTo("DONE");
        assertThat(accessplanit.syncState("course-copy", 1)).isNull();
        assertThat(db.count("SELECT count(*) FROM waiting_course_copy")).isZero();
        assertThat(site.activities(template)).hasSize(1);
        assertNothingLostAndNothingTwice();
    }
}
