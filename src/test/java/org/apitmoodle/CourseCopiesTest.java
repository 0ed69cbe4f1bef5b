package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Course dates copied from their course template's Moodle course, end to end against the emulator: the copy with
 * the template's content, then its enrolments; a kill between the copy and its update; a copy that outlasts our
 * timeout but completes in Moodle; a deleted template; a missing capability or function (sending pauses); a taken
 * short name (ours adopted, another's dead-lettered). Each asserts on both sides, and that Moodle holds one course per
 * date.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.pause-probe-period-ms=500",
        "grades.enabled=false",
        "ops.moodle-check-period-ms=600000",
        // A copy longer than this times out at our end (the emulator answers a copy at once unless told to wait).
        "courses.copy-timeout-ms=1500",
        "retry.initial-delay-ms=200",
        "retry.maximum-delay-ms=500",
        "sync.heartbeat-period-ms=500",
        "sync.instance-timeout-ms=2000"})
class CourseCopiesTest extends SyncTestSupport {

    private static final OffsetDateTime START = OffsetDateTime.parse("2027-05-10T09:00:00Z");
    private static final OffsetDateTime END = OffsetDateTime.parse("2027-05-11T17:00:00Z");

    @BeanInject("syncPause")
    SyncPause syncPause;

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @AfterEach
    void healMoodle() {
        site.restoreCapability("moodle/backup:backupcourse");
        moodle.restoreToService("core_course_duplicate_course");
        eventually().until(() -> syncPause.isRunning());
    }

    /**
     * A template course in Moodle as a trainer set it up: joining instructions, pre-course reading, a feedback form and
     * an assessment, and a learner of an earlier run enrolled.
     */
    private long templateCourse(String shortname) {
        Course template = site.addCourse(shortname, "Fire Safety (template)", "", CATEGORY);
        site.addActivity(template.id(), 0, "label", "Joining instructions", "<p>Joining instructions</p>");
        site.addActivity(template.id(), 1, "page", "Pre-course reading", "");
        site.addActivity(template.id(), 1, "feedback", "Feedback form", "");
        site.addActivity(template.id(), 2, "quiz", "Assessment", "");
        long earlier = site.addUser("earlier." + shortname.toLowerCase(), "Earl", "Ier", shortname + "@example.org")
                .id();
        site.enrol(earlier, template.id(), STUDENT_ROLE, false);
        return template.id();
    }

    /** A classroom date of a template whose Moodle course id is {@code templateMoodleId}. */
    private void date(long id, Long templateMoodleId) {
        accessplanit.template(id, "<p>Aims of date " + id + "</p>", templateMoodleId);
        accessplanit.course(id, id, "Fire Safety " + id, "CLASSROOM", START, END, true, null);
    }

    private static List<Course> coursesWithShortname(String shortname) {
        return moodle.site().courses().stream().filter(c -> c.shortname().equals(shortname)).toList();
    }

    private static List<RecordedCall> copyCalls(String shortname) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals("core_course_duplicate_course")
                && call.params().contains(Map.entry("shortname", shortname))).toList();
    }

    private Map<String, Object> openDeadLetter(String type, long id) {
        List<Map<String, Object>> rows = db.rows("SELECT * FROM dead_letter WHERE entity_type = ? AND entity_id = ?"
                + " AND state = 'OPEN'", type, id);
        assertThat(rows).as("open dead letter of %s %d", type, id).hasSize(1);
        return rows.get(0);
    }

    @Test
    void aDateIsACopyOfItsTemplatesMoodleCourseWithItsContentThenItsEnrolments() {
        long template = templateCourse("TEMPLATE-10");
        date(10, template);
        accessplanit.user(1, "Fiona", "Field", "fiona@example.org");
        accessplanit.delegate(100, 1, 10, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100)));

        long copyId = accessplanit.courseMoodleId(10);
        assertThat(copyId).as("a course of its own, not the template").isNotEqualTo(template);
        Course copy = site.courseById(copyId).orElseThrow();
        assertThat(copy.shortname()).isEqualTo("APIT-10");
        assertThat(copy.idnumber()).isEqualTo("APIT-C-10");
        assertThat(copy.fullname()).isEqualTo("Fire Safety 10");
        assertThat(copy.summary()).isEqualTo("<p>Aims of date 10</p>");
        assertThat(copy.startdate()).isEqualTo(START.toEpochSecond());
        assertThat(copy.enddate()).isEqualTo(END.toEpochSecond());
        assertThat(copy.categoryId()).isEqualTo(CATEGORY);
        // The template's content, as the integration (core_course_get_contents) sees it, in activities of its own.
        assertThat(site.activities(copyId)).extracting(MoodleSite.Activity::modname, MoodleSite.Activity::name)
                .isEqualTo(site.activities(template).stream().map(a -> org.assertj.core.groups.Tuple.tuple(
                        a.modname(), a.name())).toList())
                .hasSize(4);
        assertThat(site.sections(copyId)).extracting(MoodleSite.Section::name)
                .isEqualTo(site.sections(template).stream().map(MoodleSite.Section::name).toList());
        assertThat(site.activities(copyId)).extracting(MoodleSite.Activity::cmid).doesNotContainAnyElementsOf(
                site.activities(template).stream().map(MoodleSite.Activity::cmid).toList());
        // Not its users: only the date's own learner, enrolled by the integration after the copy.
        long fiona = accessplanit.userMoodleId(1);
        assertThat(site.enrolments()).filteredOn(e -> e.courseId() == copyId)
                .extracting(e -> e.userId()).containsExactly(fiona);
        assertThat(site.enrolments()).filteredOn(e -> e.courseId() == template).hasSize(1);

        // One copy, sent with no options; then its update; no empty course made.
        List<RecordedCall> copies = copyCalls("APIT-10");
        assertThat(copies).singleElement().satisfies(call -> assertThat(call.params())
                .noneMatch(param -> param.getKey().startsWith("options"))
                .contains(Map.entry("courseid", Long.toString(template)), Map.entry("fullname", "Fire Safety 10"),
                        Map.entry("categoryid", Long.toString(CATEGORY)), Map.entry("visible", "1")));
        assertThat(moodle.callCount("core_course_create_courses")).isZero();
        assertThat(coursesWithShortname("APIT-10")).hasSize(1);

        // The integration's side: the copy noted, then finished, as a course created empty is.
        assertThat(accessplanit.syncState("course-copy", 10)).isEqualTo("DONE");
        assertThat(accessplanit.syncState("copied-course", 10)).isEqualTo("DONE");
        assertThat(accessplanit.syncState("course", 10)).isNull();
        assertThat(db.value("SELECT pushed_startdate FROM course_dates WHERE course_id = 10"))
                .isEqualTo(START.toEpochSecond());
        assertThat(db.value("SELECT fields->>'fullname' FROM course_details_sent WHERE course_id = 10"))
                .isEqualTo("Fire Safety 10");

        // A later change of its dates is sent as for any course the integration made.
        OffsetDateTime later = START.plusDays(7);
        db.update("UPDATE courses SET start_at = ?, end_at = ? WHERE id = 10", later, END.plusDays(7));
        eventually().until(() -> later.toEpochSecond() == site.courseById(copyId).orElseThrow().startdate());
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aCopyLeftUnfinishedByAKilledInstanceIsFoundAndFinishedNotCopiedAgain() throws Exception {
        long template = templateCourse("TEMPLATE-20");
        // Killed (kill -9) after Moodle made its copy and before the answer was written anywhere: its claim holds a
        // 10-minute lease, its heartbeat stopped.
        db.update("INSERT INTO apit_sync.sync_instance (instance_id, heartbeat_at)"
                + " VALUES ('killed-20', now() - interval '1 minute')");
        db.update("INSERT INTO apit_sync.sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)"
                + " VALUES ('course-copy', 20, 'IN_PROGRESS', 'killed-20', now() + interval '10 minutes', 1)");
        String made = duplicate(template, "Fire Safety 20", "APIT-20");
        assertThat(made).contains("\"shortname\":\"APIT-20\"");
        date(20, template);

        eventually().until(() -> "DONE".equals(accessplanit.syncState("copied-course", 20)));

        assertThat(coursesWithShortname("APIT-20")).as("still one copy").singleElement().satisfies(copy -> {
            assertThat(copy.id()).isEqualTo(accessplanit.courseMoodleId(20));
            assertThat(copy.idnumber()).as("finished").isEqualTo("APIT-C-20");
            assertThat(copy.startdate()).isEqualTo(START.toEpochSecond());
            assertThat(site.activities(copy.id())).hasSize(4);
        });
        assertThat(copyCalls("APIT-20")).as("only the killed instance's copy").hasSize(1);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aCopyThatOutlastsOurTimeoutButCompletesInMoodleIsAdopted() {
        long template = templateCourse("TEMPLATE-30");
        // Moodle makes the copy, but answers after our courses.copy-timeout-ms (1.5 s) ran out.
        moodle.delayNextResponses("core_course_duplicate_course", 1, Duration.ofSeconds(4));
        date(30, template);

        eventually().until(() -> "DONE".equals(accessplanit.syncState("copied-course", 30)));

        assertThat(coursesWithShortname("APIT-30")).as("one copy").singleElement().satisfies(copy -> {
            assertThat(copy.id()).isEqualTo(accessplanit.courseMoodleId(30));
            assertThat(copy.idnumber()).isEqualTo("APIT-C-30");
        });
        assertThat(copyCalls("APIT-30")).as("copied once, then found by its short name").hasSize(1);
        assertThat(moodle.calls()).filteredOn(call -> call.wsfunction().equals("core_course_get_courses_by_field")
                && call.params().contains(Map.entry("value", "APIT-30"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id = 30")).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aDateWhoseTemplateCourseWasDeletedInMoodleIsDeadLetteredNamingTheTemplate() {
        long template = templateCourse("TEMPLATE-40");
        site.deleteCourse(template);
        date(40, template);
        date(41, null); // beside it, a template without a Moodle course: an empty course, as before

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("course-copy", 40))
                && "DONE".equals(accessplanit.syncState("course", 41)));

        Map<String, Object> entry = openDeadLetter("course-copy", 40);
        assertThat(entry.get("error_code")).isEqualTo("templatecoursemissing");
        assertThat(entry.get("error_message").toString()).contains("'Template 40'").contains("40 in accessplanit")
                .contains("Moodle course " + template);
        assertThat(coursesWithShortname("APIT-40")).isEmpty();
        assertThat(accessplanit.courseMoodleId(40)).isNull();
        assertThat(site.activities(accessplanit.courseMoodleId(41))).as("an empty course").isEmpty();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aMissingBackupCapabilityPausesSendingNamingWhatToAddThenTheCopyIsMade() {
        long template = templateCourse("TEMPLATE-50");
        site.withdrawCapability("moodle/backup:backupcourse");
        date(50, template);

        eventually().until(() -> syncPause.isPaused() && syncPause.reason() != null
                && syncPause.reason().contains("moodle/backup:backupcourse"));
        assertThat(syncPause.reason()).contains("may not copy courses").contains("moodle/restore:restorecourse")
                .contains("courses.copy-template-course=false");
        assertThat(coursesWithShortname("APIT-50")).isEmpty();

        site.restoreCapability("moodle/backup:backupcourse");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("copied-course", 50)));
        assertThat(coursesWithShortname("APIT-50")).singleElement()
                .satisfies(copy -> assertThat(copy.idnumber()).isEqualTo("APIT-C-50"));
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id = 50")).as("nothing dead-lettered")
                .isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aServiceWithoutTheCopyFunctionPausesSendingNamingIt() {
        long template = templateCourse("TEMPLATE-55");
        moodle.removeFromService("core_course_duplicate_course");
        date(55, template);

        eventually().until(() -> syncPause.isPaused() && syncPause.reason() != null
                && syncPause.reason().contains("does not offer core_course_duplicate_course"));

        moodle.restoreToService("core_course_duplicate_course");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("copied-course", 55)));
        assertThat(coursesWithShortname("APIT-55")).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id = 55")).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aTakenShortnameIsAdoptedWhenTheCourseIsOursAndDeadLetteredWhenItIsAnothers() {
        long template = templateCourse("TEMPLATE-60");
        long someoneElses = site.addCourse("APIT-60", "Someone else's course", "OTHER-60", CATEGORY).id();
        // Ours: it carries our ID number (made by the integration before its Moodle id could be written back).
        long ours = site.addCourse("APIT-61", "Fire Safety 61", "APIT-C-61", CATEGORY).id();
        date(60, template);
        date(61, template);

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("course-copy", 60))
                && "DONE".equals(accessplanit.syncState("copied-course", 61)));

        Map<String, Object> entry = openDeadLetter("course-copy", 60);
        assertThat(entry.get("error_code")).isEqualTo("shortnametaken");
        assertThat(entry.get("error_message").toString()).contains("'Someone else's course'")
                .contains("Moodle id " + someoneElses);
        assertThat(site.courseById(someoneElses).orElseThrow().idnumber()).as("left alone").isEqualTo("OTHER-60");
        assertThat(accessplanit.courseMoodleId(61)).isEqualTo(ours);
        assertThat(copyCalls("APIT-61")).as("adopted, not copied").isEmpty();
        assertThat(copyCalls("APIT-60")).isEmpty();
        assertThat(site.courseById(ours).orElseThrow().startdate()).isEqualTo(START.toEpochSecond());
        assertNothingLostAndNothingTwice();
    }

    /** Moodle's copy called as a (killed) instance of the integration called it. */
    private static String duplicate(long courseId, String fullname, String shortname) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("wstoken", TOKEN);
        form.put("wsfunction", "core_course_duplicate_course");
        form.put("moodlewsrestformat", "json");
        form.put("courseid", Long.toString(courseId));
        form.put("fullname", fullname);
        form.put("shortname", shortname);
        form.put("categoryid", Long.toString(CATEGORY));
        form.put("visible", "1");
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(moodle.url() + MoodleEmulator.REST_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
