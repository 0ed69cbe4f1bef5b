package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Moodle group per course date on a shared Moodle course: made once (or adopted by its idnumber), learners put in
 * after their enrolment, and moved between groups when the booking moves to another date. Each test its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false"})
class GroupsTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleSite site;
    MoodleEnrolments enrolments;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
        enrolments = new MoodleEnrolments(moodle);
    }

    @Test
    void eachDateOfAnElearningTemplateGetsItsGroupAndAMoveChangesOnlyTheGroup() {
        long shared = site.addCourse("ELEARN-40", "Data Protection online", "", CATEGORY).id();
        accessplanit.template(40, "aims", shared);
        accessplanit.course(40, 40, "Data Protection", "ELEARNING", OffsetDateTime.parse("2027-03-01T09:00:00Z"),
                OffsetDateTime.parse("2027-03-02T17:00:00Z"), false, null);
        accessplanit.course(41, 40, "Data Protection", "ELEARNING", OffsetDateTime.parse("2027-04-01T09:00:00Z"),
                null, false, null);
        accessplanit.user(4, "Dave", "Davies", "dave@example.org");
        accessplanit.user(5, "Erin", "Evans", "erin@example.org");
        accessplanit.delegate(400, 4, 40, "BOOKED");
        accessplanit.delegate(401, 5, 41, "BOOKED");
        eventually().until(() -> db.count("SELECT count(*) FROM group_member m JOIN moodle_enrolment e"
                + " ON e.id = m.enrolment_id WHERE e.delegate_id IN (400, 401)") == 2);
        long dave = accessplanit.userMoodleId(4);
        long erin = accessplanit.userMoodleId(5);
        MoodleSite.Group march = group(shared, "APIT-C-40");
        MoodleSite.Group april = group(shared, "APIT-C-41");
        assertThat(march.name()).isEqualTo("Data Protection (2027-03-01 to 2027-03-02)");
        assertThat(april.name()).isEqualTo("Data Protection (2027-04-01)");
        assertThat(site.groupMembers(march.id())).containsExactly(dave);
        assertThat(site.groupMembers(april.id())).containsExactly(erin);
        assertThat(db.value("SELECT moodle_group_id FROM course_group WHERE course_id = 40")).isEqualTo(march.id());

        db.update("UPDATE delegates SET course_id = 41 WHERE id = 400");

        eventually().until(() -> site.groupMembers(april.id()).contains(dave) && !site.groupMembers(march.id()).contains(dave));
        eventually().until(() -> db.count("SELECT count(*) FROM group_member WHERE left_group_id IS NOT NULL") == 0);
        awaitPolls(3);
        assertThat(site.groupMembers(april.id())).containsExactlyInAnyOrder(erin, dave);
        assertThat(enrolments.of(dave, shared)).as("never left without access")
                .hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        assertThat(enrolments.sentAny(dave, shared)).as("enrolled once, nothing else").hasSize(1);
        assertThat(calls("core_group_create_groups").stream().flatMap(call -> call.params().stream())
                .filter(param -> param.getKey().endsWith("[idnumber]")).map(java.util.Map.Entry::getValue))
                .as("one group per date, each made once").containsExactlyInAnyOrder("APIT-C-40", "APIT-C-41");
        assertThat(memberCalls("core_group_add_group_members", april.id(), dave)).hasSize(1);
        assertThat(memberCalls("core_group_delete_group_members", march.id(), dave)).hasSize(1);
        assertThat(accessplanit.syncState("group-leave", (Long) db.value(
                "SELECT id FROM moodle_enrolment WHERE delegate_id = 400"))).isEqualTo("DONE");
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aGroupWithOurIdnumberIsAdoptedAndAClassroomCourseOfItsOwnGetsNone() {
        long typedIn = site.addCourse("SHARED-50", "One Moodle course for two dates", "", CATEGORY).id();
        MoodleSite.Group existing = site.addGroup(typedIn, "Made by an administrator", "APIT-C-50");
        accessplanit.template(50, "aims", null);
        accessplanit.course(50, 50, "Forklift", "CLASSROOM", OffsetDateTime.parse("2027-05-01T09:00:00Z"), null, true,
                typedIn);
        accessplanit.course(51, 50, "Forklift", "CLASSROOM", OffsetDateTime.parse("2027-06-01T09:00:00Z"), null, true,
                typedIn);
        accessplanit.classroomCourse(52, "Ladders");
        accessplanit.user(6, "Fay", "Fox", "fay@example.org");
        accessplanit.delegate(500, 6, 50, "BOOKED");
        accessplanit.delegate(520, 6, 52, "BOOKED");
        eventually().until(() -> db.count("SELECT count(*) FROM group_member m JOIN moodle_enrolment e"
                + " ON e.id = m.enrolment_id WHERE e.delegate_id = 500") == 1
                && "DONE".equals(accessplanit.syncState("enrolment", 520)));
        awaitPolls(3);

        assertThat(site.groupsIn(typedIn)).as("adopted, not made again").containsExactly(existing);
        assertThat(site.groupMembers(existing.id())).containsExactly(accessplanit.userMoodleId(6));
        assertThat(calls("core_group_get_course_groups").stream()
                .filter(call -> Long.toString(typedIn).equals(call.param("courseid")))).hasSize(1);
        assertThat(calls("core_group_create_groups").stream()
                .filter(call -> Long.toString(typedIn).equals(call.param("groups[0][courseid]")))).isEmpty();
        assertThat(site.groupsIn(accessplanit.courseMoodleId(52))).as("not a shared Moodle course").isEmpty();
        assertThat(accessplanit.syncState("group", 51)).as("no booking on it: no group yet").isNull();
    }

    private MoodleSite.Group group(long courseId, String idnumber) {
        return site.groupsIn(courseId).stream().filter(g -> g.idnumber().equals(idnumber)).findFirst().orElseThrow();
    }

    private List<RecordedCall> calls(String function) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals(function)).toList();
    }

    private List<RecordedCall> memberCalls(String function, long groupId, long userId) {
        return calls(function).stream().filter(call -> {
            for (int i = 0; call.param("members[" + i + "][groupid]") != null; i++) {
                if (call.param("members[" + i + "][groupid]").equals(Long.toString(groupId))
                        && call.param("members[" + i + "][userid]").equals(Long.toString(userId))) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    private void awaitPolls(int polls) {
        for (String route : List.of("poll-group", "poll-group-member", "poll-group-leave")) {
            NotifyBuilder notify = new NotifyBuilder(context).fromRoute(route).whenCompleted(polls).create();
            assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of " + route).isTrue();
        }
    }
}
